from mutualis.members.models import AgentAccess, Member, Membership
from mutualis.members.tests.factories import AgentAccessFactory, MembershipFactory

builders = {
    Member: lambda a: a,
    Membership: lambda a: a.memberships.first() or MembershipFactory(member=a),
    AgentAccess: lambda a: AgentAccessFactory(member=a),
}
