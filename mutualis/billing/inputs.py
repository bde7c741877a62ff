"""The engine's inputs built from the database in a constant number of queries, and their
snapshot (Arrow IPC bytes) and fingerprint, kept on a run so that it can be reproduced.

Member ids given to the engine are the members' primary keys as strings. A quarterly or yearly
reading is placed on the last month of its period (a stock is read at the end of the period;
a flow is summed over the year either way).
"""

import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Case, F, IntegerField, Q, When
from django.db.models.functions import Cast, Round

from mutualis.catalog.models import Subscription
from mutualis.engine import (
    MemberColumns,
    MemberKind,
    SubscriptionColumns,
)
from mutualis.engine.fingerprint import VERSION as FINGERPRINT_VERSION
from mutualis.engine.fingerprint import fingerprint as input_fingerprint
from mutualis.engine.frames import subscriptions_from_columns, usage_from_rows
from mutualis.engine.money import QTY_SCALE
from mutualis.members.models import Member
from mutualis.metering.models import PERIOD_MONTHS, UsageRecord


@dataclass(frozen=True)
class EngineFrames:
    members: pl.DataFrame
    subscriptions: pl.DataFrame
    usage: pl.DataFrame

    def fingerprint(
        self, tariff_texts: Iterable[str] = (), version: int = FINGERPRINT_VERSION
    ) -> str:
        """The inputs' fingerprint: version 2 hashes the engine's column buffers
        (`mutualis.engine.fingerprint`); version 1, of the runs stored before it, hashed the
        frames sorted and written as JSON, and is kept to verify them."""
        frames = (self.members, self.subscriptions, self.usage)
        if version == 2:
            return input_fingerprint(frames, tariff_texts)
        if version != 1:
            raise ValueError(f"unknown fingerprint version {version}")
        digest = hashlib.sha256()
        for frame in frames:
            digest.update(frame.sort(frame.columns[:2]).write_json().encode())
        for text in tariff_texts:
            digest.update(text.encode())
        return digest.hexdigest()

    def to_snapshot(self) -> tuple[bytes, bytes, bytes]:
        return tuple(_ipc(frame) for frame in (self.members, self.subscriptions, self.usage))

    @classmethod
    def from_snapshot(cls, members: bytes, subscriptions: bytes, usage: bytes) -> "EngineFrames":
        return cls(
            pl.read_ipc(io.BytesIO(bytes(members))),
            pl.read_ipc(io.BytesIO(bytes(subscriptions))),
            pl.read_ipc(io.BytesIO(bytes(usage))),
        )


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def _read(queryset) -> pl.DataFrame:
    """The rows of a `values_list` queryset read by a plain cursor into a frame named after
    its fields (no converter called per value: SQLite hands dates as ISO text)."""
    query = queryset.query
    names = list(query.selected)  # the SELECT's columns, in the order of `values_list`
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. `service_id__in=[]`: no query to run, no rows
        return pl.DataFrame(schema=names)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def _dates(column: pl.Series) -> pl.Series:
    if column.dtype == pl.Date:
        return column
    if column.dtype == pl.Null:
        return column.cast(pl.Date)
    return column.str.to_date("%Y-%m-%d")


def members_frame() -> pl.DataFrame:
    """Every member (one query): parents and EPCIs must be members of the frame too."""
    rows = list(
        Member.objects.order_by("pk").values_list(
            "pk", "name", "kind", "population", "parent_id", "epci_id", "territory_epci_id"
        )
    )
    epci_member = {territory: pk for pk, *_rest, territory in rows if territory is not None}

    def epci_of(pk: int, epci_id: int | None) -> str | None:
        member_pk = epci_member.get(epci_id) if epci_id is not None else None
        return None if member_pk in (None, pk) else str(member_pk)

    members = MemberColumns()
    for pk, name, kind, population, parent_id, epci_id, _territory in rows:
        members.add(
            str(pk),
            name,
            MemberKind(kind),
            population or 0,
            str(parent_id) if parent_id is not None else None,
            epci_of(pk, epci_id),
        )
    return members.frame()


def subscriptions_frame(*, year: int, service_ids: Iterable[int]) -> pl.DataFrame:
    """Subscriptions overlapping the year, with their covered establishments (two queries)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    subscriptions = Subscription.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        service_id__in=list(service_ids),
        start_date__lte=last,
    )
    rows = _read(
        subscriptions.order_by("pk").values_list(
            "pk",
            "member_id",
            "service__code",
            "scope",
            "start_date",
            "end_date",
            "rebill_key",
            "rebill_own_key",
        )
    )
    covered: dict[int, list[str]] = {}
    through = Subscription.covered_establishments.through.objects.filter(
        subscription_id__in=subscriptions.values("pk")
    )
    for subscription_id, member_id in through.order_by("subscription_id", "member_id").values_list(
        "subscription_id", "member_id"
    ):
        covered.setdefault(subscription_id, []).append(str(member_id))
    if not rows.height:
        return SubscriptionColumns().frame()
    return subscriptions_from_columns(
        rows["member_id"].cast(pl.String),
        rows["service__code"],
        rows["scope"],
        _dates(rows["start_date"]),
        _dates(rows["end_date"]),
        [covered.get(pk, ()) for pk in rows["pk"].to_list()] if covered else [()] * rows.height,
        rows["rebill_key"],
        rows["rebill_own_key"],
    )


def usage_frame(*, year: int, service_ids: Iterable[int]) -> pl.DataFrame:
    """The year's readings (one query), as the engine's usage frame.

    The database hands plain integers: the quantity in milli-units (3 decimals, exact: the
    column has 3) and the month the reading is placed on (the last of its period); the frame
    is built from the rows at once, with no Decimal nor object per row."""
    last_month = Case(
        *(
            When(period=period, then=F("month") + (months - 1))
            for period, months in PERIOD_MONTHS.items()
        ),
        default=F("month"),
        output_field=IntegerField(),
    )
    rows = (
        UsageRecord.objects.filter(year=year, service_id__in=list(service_ids))
        .annotate(
            milli=Cast(Round(F("quantity") * QTY_SCALE), BigIntegerField()),
            last_month=last_month,
        )
        .order_by("pk")
        .values_list("member_id", "service__code", "last_month", "milli")
    )
    frame = _read(rows)
    if not frame.height:
        return usage_from_rows([], year)
    return frame.select(
        pl.col("member_id").cast(pl.String),
        pl.col("service__code").cast(pl.String).alias("service"),
        pl.lit(year, dtype=pl.Int32).alias("year"),
        pl.col("last_month").cast(pl.Int8).alias("month"),
        pl.col("milli").cast(pl.Int64).alias("quantity"),
    )


def build_frames(*, year: int, service_ids: Iterable[int]) -> EngineFrames:
    ids = list(service_ids)
    return EngineFrames(
        members=members_frame(),
        subscriptions=subscriptions_frame(year=year, service_ids=ids),
        usage=usage_frame(year=year, service_ids=ids),
    )
