from django.core.files.base import ContentFile

from mutualis.members.models import AgentAccess, Agreement, Decision, Member, Membership
from mutualis.members.tests.factories import (
    AgentAccessFactory,
    DecisionFactory,
    MembershipFactory,
)


def _decision(member):
    decision = DecisionFactory(member=member)
    decision.document.save("deliberation.pdf", ContentFile(b"%PDF-1.4 test"))
    return decision


def _agreement(member):
    agreement = Agreement.objects.create(member=member, reference="CONV-1")
    agreement.document.save("convention.pdf", ContentFile(b"%PDF-1.4 test"))
    return agreement


builders = {
    Member: lambda a: a,
    Membership: lambda a: a.memberships.first() or MembershipFactory(member=a),
    AgentAccess: lambda a: AgentAccessFactory(member=a),
    Decision: _decision,
    Agreement: _agreement,
}
