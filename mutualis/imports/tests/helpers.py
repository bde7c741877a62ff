"""Building files and counting rows, for the imports' tests."""

import csv
import io

from openpyxl import Workbook

from mutualis.catalog.models import Subscription
from mutualis.imports import services
from mutualis.members.models import Agreement, Decision, Member, Membership


def csv_bytes(header, rows, *, delimiter=";", bom=True, encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    return text.encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(kind: str, file_name: str, content: bytes):
    return services.import_file(kind=kind, file_name=file_name, content=content)


def counts() -> dict[str, int]:
    """How many rows each imported table holds: a failed import leaves them all unchanged."""
    return {
        "members": Member.objects.count(),
        "memberships": Membership.objects.count(),
        "decisions": Decision.objects.count(),
        "agreements": Agreement.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "covered": Subscription.covered_establishments.through.objects.count(),
    }


def snapshot(*, ignore: tuple[str, ...] = ()) -> dict:
    """Counts plus every row's values: proves that nothing at all was written."""

    def rows(model):
        return [
            {k: v for k, v in values.items() if k not in ignore}
            for values in model.objects.order_by("pk").values()
        ]

    return {
        **counts(),
        "member_rows": rows(Member),
        "membership_rows": rows(Membership),
        "decision_rows": rows(Decision),
        "subscription_rows": rows(Subscription),
    }


def errors_at(report) -> set[tuple]:
    return {(e.line, e.field) for e in report.errors}
