"""The sectors of a water network: writes (same member only), reads, and the form where a
district meter and the meters behind it are chosen among the member's water meters."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.alerts.models import MeterSector
from mutualis.iot.models import Quantity, Sensor, SensorKind
from mutualis.members.models import Member


def water_meters(member: Member):
    return (
        Sensor.objects.filter(
            member=member, kind=SensorKind.WATER_METER, measures__quantity=Quantity.WATER_VOLUME
        )
        .distinct()
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class SectorData:
    name: str
    district: Sensor
    behind: list[Sensor]
    active: bool = True


@transaction.atomic
def sector_save(*, member: Member, data: SectorData, sector: MeterSector | None = None):
    """Creates or changes a sector of ``member``: its meters must all be the member's."""
    meters = [data.district, *data.behind]
    if any(m.member_id != member.pk for m in meters):
        raise ValidationError(_("Les compteurs d'un secteur sont tous ceux du membre."))
    if not data.behind:
        raise ValidationError({"behind": _("Choisissez au moins un compteur en aval.")})
    if data.district in data.behind:
        raise ValidationError(
            {"behind": _("Le compteur de tête ne peut pas être aussi en aval de lui-même.")}
        )
    taken = MeterSector.objects.filter(district=data.district)
    if sector is not None:
        taken = taken.exclude(pk=sector.pk)
    if taken.exists():
        raise ValidationError({"district": _("Ce compteur est déjà la tête d'un autre secteur.")})
    same_name = MeterSector.objects.filter(member=member, name=data.name)
    if sector is not None:
        same_name = same_name.exclude(pk=sector.pk)
    if same_name.exists():
        raise ValidationError({"name": _("Un secteur de ce membre porte déjà ce nom.")})
    sector = sector or MeterSector(member=member)
    sector.name = data.name
    sector.district = data.district
    sector.active = data.active
    sector.full_clean()
    sector.save()
    sector.behind.set(data.behind)
    return sector


def sectors_for(*, user, member: Member | None = None):
    sectors = MeterSector.objects.visible_to(user).select_related("member", "district")
    if member is not None:
        sectors = sectors.filter(member=member)
    return sectors.annotate(meters=Count("behind")).order_by("member__name", "name")


class SectorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom du secteur"), max_length=200)
    district = forms.ModelChoiceField(
        label=gettext_lazy("Compteur de tête (sectorisation)"),
        queryset=Sensor.objects.none(),
        help_text=gettext_lazy("Le compteur du quartier ou du bâtiment, en amont des autres."),
    )
    behind = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Compteurs en aval"),
        queryset=Sensor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Cochez les compteurs alimentés par le compteur de tête."),
    )
    active = forms.BooleanField(label=gettext_lazy("Suivi par la détection"), required=False)

    def __init__(self, *args, member: Member, sector: MeterSector | None = None, **kwargs):
        if sector is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": sector.name,
                "district": sector.district_id,
                "behind": [s.pk for s in sector.behind.all()],
                "active": sector.active,
            }
        kwargs.setdefault("initial", {"active": True})
        super().__init__(*args, **kwargs)
        meters = water_meters(member)
        self.fields["district"].queryset = meters
        self.fields["behind"].queryset = meters

    def data_object(self) -> SectorData:
        c = self.cleaned_data
        return SectorData(c["name"], c["district"], list(c["behind"]), c["active"])
