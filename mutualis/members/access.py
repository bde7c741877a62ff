"""Whose data: the single place that decides which members a user may see."""

from django.db import models
from django.db.models import Q

from mutualis.core.roles import Capability, has_capability


def visible_member_ids(user):
    """None for operator staff (everything), else a queryset of the visible members' ids."""
    from mutualis.members.models import AgentAccess, Member

    if has_capability(user, Capability.VIEW_ALL):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Member.objects.none().values("pk")
    accesses = AgentAccess.objects.filter(user=user)
    perimeter_epcis = accesses.filter(
        includes_perimeter=True, member__territory_epci__isnull=False
    ).values("member__territory_epci")
    return Member.objects.filter(
        Q(pk__in=accesses.values("member")) | Q(epci__in=perimeter_epcis)
    ).values("pk")


def can_see_member(user, member) -> bool:
    ids = visible_member_ids(user)
    if ids is None:
        return True
    return ids.filter(pk=member.pk).exists()


class MemberOwnedQuerySet(models.QuerySet):
    """Querysets of data that belongs to a member: `visible_to(user)` keeps what the user
    may see. `member_field` names the path to the owning member."""

    member_field = "member"

    def visible_to(self, user):
        ids = visible_member_ids(user)
        return self if ids is None else self.filter(**{f"{self.member_field}__in": ids})
