import datetime as dt

import factory

from mutualis.governance.models import Body, BodyKind, BodyMember, Meeting, SeatRole
from mutualis.governance.services import deliberation_create


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("name",)

    kind = BodyKind.COMMITTEE
    name = factory.Sequence(lambda n: f"Comité syndical {n}")
    notice_days = 5


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Délégué {n}")
    email = factory.Sequence(lambda n: f"delegue{n}@example.fr")
    role = SeatRole.DELEGATE
    votes = 1
    start_date = dt.date(2020, 9, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    date = dt.date(2026, 12, 10)


def deliberation(**kwargs):
    fields = {
        "body": kwargs.pop("body", None) or BodyFactory(),
        "date": dt.date(2025, 12, 10),
        "subject": "Tarifs 2026",
        "matiere": "7.6",
        **kwargs,
    }
    return deliberation_create(**fields)
