"""The world the tenancy tests share: member A with one object of every model, member B,
their agents, an outsider, one account per operator role; built once per test module.

The `world` fixture (tests/conftest.py) builds it in a transaction that lasts the module; each
test runs in a savepoint of it (pytest-django's `db`), so a write that one visitor is allowed
to make is undone before the next test.
"""

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from rest_framework.authtoken.models import Token

from mutualis.core.roles import ROLE_CAPABILITIES, Capability, OperatorRole
from mutualis.core.tests.factories import UserFactory
from mutualis.core.tests.tenancy import object_builders
from mutualis.members.models import Member
from mutualis.members.tests.factories import AgentAccessFactory, MemberFactory, MembershipFactory

# elu_a: an elected official of member A (reads its data, makes none of its agents' writes).
AGENTS = ("agent_a", "agent_b", "elu_a")
ROLES = tuple(role.value for role in OperatorRole)
# anonymous: no login; stranger: an account that sees no member.
VISITORS = ("anonymous", "stranger", *AGENTS, *ROLES)


@dataclass(frozen=True)
class Expect:
    """Who may make a write, as the tests expect it, written down apart from the code:
    operator roles holding `capability` (None: none), and the member's own agents if
    `agents`."""

    capability: Capability | None = None
    agents: bool = False

    def allows(self, visitor: str) -> bool:
        if visitor in ROLES:
            return self.capability is not None and self.capability in ROLE_CAPABILITIES[visitor]
        return self.agents and visitor == "agent_a"


def agents_and(capability: Capability | None) -> Expect:
    return Expect(capability, agents=True)


@dataclass
class World:
    a: Member
    b: Member
    users: dict
    tokens: dict
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    member_a = MembershipFactory(member=MemberFactory(name="Commune-Alpha-Secrete")).member
    member_b = MembershipFactory(member=MemberFactory(name="Commune-Beta")).member
    users = {
        "stranger": UserFactory(),
        "agent_a": AgentAccessFactory(member=member_a).user,
        "agent_b": AgentAccessFactory(member=member_b).user,
        "elu_a": AgentAccessFactory(member=member_a, is_elected=True).user,
        **{role: UserFactory(operator_role=role) for role in ROLES},
    }
    world = World(
        a=member_a,
        b=member_b,
        users=users,
        tokens={name: Token.objects.create(user=user).key for name, user in users.items()},
    )
    world.objects = {model: build(member_a) for model, build in object_builders().items()}
    return world


def _tables() -> list[str]:
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("mutualis.")}
    labels |= {"authtoken"}
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.app_label in labels and m._meta.managed and not m._meta.proxy
        }
    )


def db_state() -> dict[str, tuple[int, str]]:
    """Rows and a digest of their content, table by table: a refused write changes neither."""
    state = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def changes(before: dict, after: dict) -> list[str]:
    return [
        f"{table}: {before[table][0]} → {after[table][0]} rows"
        + ("" if before[table][0] != after[table][0] else " (rows changed)")
        for table in before
        if before[table] != after[table]
    ]


def owned_by_a(world: World, obj) -> bool:
    """Data of member A that agent B must not reach (shared catalogue data is not)."""
    manager = type(obj)._default_manager
    if hasattr(manager, "visible_to"):
        return not manager.visible_to(world.users["agent_b"]).filter(pk=obj.pk).exists()
    return getattr(obj, "member_id", None) == world.a.pk
