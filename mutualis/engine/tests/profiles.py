"""Hypothesis profiles: ``dev`` by default, ``ci`` when ``CI`` is set, ``fuzz`` on demand.

- ``dev``: Hypothesis's usual 100 examples (the budget each test states), random, saved
  failures replayed from ``.hypothesis/``;
- ``ci``: the same budget, derandomized (every run tries the same examples), no database,
  a failure prints the blob that reproduces it;
- ``fuzz`` (``make fuzz``): 20 times the budget, random, no deadline.

``HYPOTHESIS_PROFILE`` (or pytest's ``--hypothesis-profile``) picks another profile. A property
test states its budget with :func:`examples`, relative to the profile: the fuzz profile really
runs more examples of every test.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import HealthCheck, settings

BASE_EXAMPLES = 100
"""The examples of the dev and ci profiles; a test's budget is scaled by the profile's."""

settings.register_profile("dev", max_examples=BASE_EXAMPLES, deadline=None)
settings.register_profile(
    "ci",
    max_examples=BASE_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=20 * BASE_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def profile_name(environ: Mapping[str, str]) -> str:
    """The profile for an environment: ``HYPOTHESIS_PROFILE``, else ``ci`` under CI, else dev."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI") else "dev"


def load(environ: Mapping[str, str]) -> None:
    settings.load_profile(profile_name(environ))


def examples(budget: int) -> settings:
    """Settings of a property test worth ``budget`` examples in the dev and ci profiles.

    The loaded profile scales it: ``examples(60)`` runs 60 examples, 1 200 under fuzz.
    """
    profile = settings.default
    assert profile is not None
    return settings(max_examples=max(1, budget * profile.max_examples // BASE_EXAMPLES))
