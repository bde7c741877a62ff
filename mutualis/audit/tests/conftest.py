from mutualis.billing.tests.conftest import issued_titres, world  # noqa: F401 (fixtures)
