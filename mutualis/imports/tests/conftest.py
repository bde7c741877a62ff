import pytest

from mutualis.imports.tests.factories import (
    AgentFactory,
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    OperatorFactory,
)


@pytest.fixture
def operator(db):
    return OperatorFactory()


@pytest.fixture
def agent(db):
    return AgentFactory()


@pytest.fixture
def territory(db):
    """Gironde: one EPCI and three of its communes, nobody a member yet."""
    departement = DepartementFactory(code="33", name="Gironde")
    epci = EpciFactory(siren="243300316", name="Bordeaux Métropole", kind="METRO")
    communes = [
        CommuneFactory(insee_code=code, siren=siren, name=name, departement=departement, epci=epci)
        for code, siren, name in (
            ("33063", "213300635", "Bordeaux"),
            ("33281", "213302813", "Mérignac"),
            ("33318", "213303183", "Pessac"),
        )
    ]
    return {"departement": departement, "epci": epci, "communes": communes}


from mutualis.metering.tests.conftest import accountant, usage_world  # noqa: E402, F401  (usage files)
