"""What the chart pages share (« Mon espace » and the operator's sensor page): the period
asked for (?vue=jour|mois|annee&date=…), its links, and each series' chart."""

from decimal import Decimal

from django.utils import timezone

from mutualis.core.numbers import InputError, format_number, parse_date
from mutualis.iot import charts
from mutualis.iot.series import VIEWS, Period


def period_from(request) -> Period:
    view = request.GET.get("vue", "mois")
    if view not in VIEWS:
        view = "mois"
    try:
        day = parse_date(request.GET.get("date"), required=False)
    except InputError:
        day = None
    return Period(view, day or timezone.localdate())


def _fmt(value: float) -> str:
    return format_number(Decimal(str(round(value, 2))))


def charted(series_list, period: Period) -> list[dict]:
    """Each series with its chart's geometry (bars for consumptions and counts)."""
    every = {"jour": 3, "mois": 3, "annee": 1}[period.view]
    return [
        {
            "series": s,
            "chart": charts.chart(
                [p.label for p in s.points],
                [p.value for p in s.points],
                bars=s.how != "mean",
                fmt=_fmt,
                label_every=every,
            ),
        }
        for s in series_list
    ]


def period_links(request, period: Period) -> dict:
    def link(p: Period) -> str:
        params = request.GET.copy()
        params["vue"], params["date"] = p.view, p.day.isoformat()
        return "?" + params.urlencode()

    return {
        "period": period,
        "views": [(key, label, link(Period(key, period.day))) for key, label in VIEWS.items()],
        "previous": link(period.shifted(-1)),
        "next": link(period.shifted(1)),
    }
