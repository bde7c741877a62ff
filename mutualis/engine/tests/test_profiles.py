"""The Hypothesis profile of a run: reproducible under CI, many more examples under fuzz."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.engine.tests.profiles import examples, profile_name


def test_ci_picks_the_derandomized_profile_unless_one_is_named() -> None:
    assert profile_name({}) == "dev"
    assert profile_name({"CI": "true"}) == "ci"
    assert profile_name({"CI": "true", "HYPOTHESIS_PROFILE": "fuzz"}) == "fuzz"
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.print_blob


def runs_of_a_property_test(profile: str, budget: int) -> int:
    previous = settings.get_current_profile_name()
    seen: list[int] = []
    settings.load_profile(profile)
    try:

        @examples(budget)
        @given(st.integers())
        def record(value: int) -> None:
            seen.append(value)

        record()
    finally:
        settings.load_profile(previous)
    return len(seen)


def test_the_fuzz_profile_raises_the_budget_of_every_property_test() -> None:
    assert runs_of_a_property_test("dev", 3) == 3
    assert runs_of_a_property_test("ci", 3) == 3
    assert runs_of_a_property_test("fuzz", 3) == 60
