"""Discovery of the objects the tenancy tests need, app by app.

Each app may hold `tests/tenancy.py` with a `builders` dict: model → function(member_a) that
returns an object of that model belonging to member A (or shared, for catalogue-like data).
The page and API tenancy tests use them to fill `pk` in URLs; a model without a builder fails.
"""

from importlib import import_module

from django.apps import apps


def object_builders() -> dict:
    builders: dict = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("mutualis."):
            continue
        try:
            module = import_module(f"{config.name}.tests.tenancy")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.tenancy" and error.name != (
                f"{config.name}.tests"
            ):
                raise
            continue
        builders.update(getattr(module, "builders", {}))
    return builders
