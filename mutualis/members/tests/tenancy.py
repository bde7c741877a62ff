from mutualis.members.models import Member, Membership
from mutualis.members.tests.factories import MembershipFactory

builders = {
    Member: lambda a: a,
    Membership: lambda a: a.memberships.first() or MembershipFactory(member=a),
}
