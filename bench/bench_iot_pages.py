"""Benchmark: the data platform's pages at 40,000 sensors.

Run with `.venv/bin/python bench/bench_iot_pages.py` (`make bench` runs every bench_*.py).
Builds a fleet of BENCH_IOT_SENSORS sensors (default 40 000, over 400 members), each with a
temperature and a battery measure (3 % of the sensors silent, 2 % of the batteries low),
500 gateways, 5 000 quarantined messages, one value of
each sensor received in the last hour, BENCH_IOT_DAYS (14) daily rollups of every sensor,
and one sensor with a full year of raw values (every hour) and their rollups — in a fresh
SQLite database, or in a fresh PostgreSQL database beside `BENCH_DATABASE_URL` when it is set
(dropped afterwards). Then prints, as the median of 5 requests after a warm-up:

- the hypervision page (operator, all filters off), against the goal of 200 ms;
- a member's year of one sensor (« Mon espace », year view, read from the daily rollups):
  the page, and its read of the rollups beside the same year computed from the raw values in
  the same run (the baseline).

On PostgreSQL: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mutualis …
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENSORS = int(os.environ.get("BENCH_IOT_SENSORS", "40000"))
DAYS = int(os.environ.get("BENCH_IOT_DAYS", "14"))
MEMBERS = max(1, SENSORS // 100)
PG_URL = os.environ.get("BENCH_DATABASE_URL", "")
PG_NAME = f"mutualis_bench_iot_{os.getpid()}"
GOAL_MS = 200

os.environ["DJANGO_SETTINGS_MODULE"] = "mutualis.config.settings.test"
if PG_URL:
    os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + PG_NAME
else:
    WORKDIR = Path(tempfile.mkdtemp(prefix="mutualis-bench-iot-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute(sql)


if PG_URL:
    _admin(f"CREATE DATABASE {PG_NAME}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Avg, Count, Max, Min  # noqa: E402
from django.db.models.functions import ExtractMonth  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from mutualis.core.roles import OperatorRole  # noqa: E402
from mutualis.iot.models import (  # noqa: E402
    DailyRollup,
    Gateway,
    Measure,
    Quantity,
    QuarantinedMessage,
    Reading,
    Sensor,
    SensorKind,
)
from mutualis.iot.series import Period, series_for  # noqa: E402
from mutualis.members.models import AgentAccess, Member  # noqa: E402

YEAR = timezone.localdate().year - 1


def build_fleet():
    """The fleet, in bulk, outside the measures. Returns the member and sensor measured."""
    from django.contrib.auth import get_user_model

    rng = random.Random(40_000)
    now = timezone.now()
    members = Member.objects.bulk_create(
        Member(kind="commune", name=f"Commune {i:04d}", population=500 + i) for i in range(MEMBERS)
    )
    kinds = [SensorKind.COMFORT, SensorKind.WATER_METER, SensorKind.AIR_QUALITY]
    minutes = [rng.choice([15, 60, 60, 1440]) for _ in range(SENSORS)]
    sensors = Sensor.objects.bulk_create(
        (
            Sensor(
                member=members[i % MEMBERS],
                name=f"Bâtiment {i // 10:04d}, capteur {i % 10}",
                kind=kinds[i % 3],
                reporting_minutes=minutes[i],
                # 3 % silent (more than 3 intervals), the others heard within their interval
                last_seen_at=now
                - dt.timedelta(minutes=minutes[i] * (rng.uniform(3, 20) if i % 33 == 0 else 1)),
            )
            for i in range(SENSORS)
        ),
        batch_size=5000,
    )
    measures = Measure.objects.bulk_create(
        (
            Measure(
                sensor=s,
                quantity=q,
                last_time=now,
                # 2 % of the batteries low (under 3.3 V)
                last_value=(rng.uniform(2.9, 3.3) if rng.random() < 0.02 else rng.uniform(3.3, 3.7))
                if q == Quantity.BATTERY
                else 20.0,
            )
            for s in sensors
            for q in (Quantity.TEMPERATURE, Quantity.BATTERY)
        ),
        batch_size=5000,
    )
    Gateway.objects.bulk_create(
        Gateway(
            eui=f"b827ebfffe{g:06x}",
            owner=members[g % MEMBERS] if g % 2 else None,
            last_seen_at=now - dt.timedelta(minutes=rng.randrange(0, 40)),
        )
        for g in range(500)
    )
    QuarantinedMessage.objects.bulk_create(
        (
            QuarantinedMessage(
                source="mqtt", reason="unknown_device", detail="", fingerprint=f"q{i}"
            )
            for i in range(5000)
        ),
        batch_size=5000,
    )
    temperature = {m.sensor_id: m for m in measures if m.quantity == Quantity.TEMPERATURE}
    Reading.objects.bulk_create(
        (
            Reading(
                sensor_id=s.pk,
                measure=temperature[s.pk],
                time=now - dt.timedelta(minutes=rng.randrange(1, 50)),
                value=20.0,
            )
            for s in sensors
        ),
        batch_size=5000,
    )
    first_day = timezone.localdate() - dt.timedelta(days=DAYS)
    DailyRollup.objects.bulk_create(
        (
            DailyRollup(
                sensor_id=s.pk,
                measure=temperature[s.pk],
                day=first_day + dt.timedelta(days=d),
                count=24,
                min=18.0,
                max=22.0,
                sum=480.0,
                last=20.0,
                last_time=now,
            )
            for s in sensors
            for d in range(DAYS)
        ),
        batch_size=10000,
    )
    # The sensor measured: a year of hourly values of both measures, and their daily
    # rollups (computed here: the bench measures the reads, not the rollups' upkeep).
    sensor, member = sensors[0], members[0]
    start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    raw = [
        Reading(
            sensor_id=sensor.pk,
            measure_id=m.pk,
            time=start + dt.timedelta(hours=h),
            value=round(rng.uniform(15, 25), 2),
        )
        for m in Measure.objects.filter(sensor=sensor)
        for h in range(365 * 24)
    ]
    Reading.objects.bulk_create(raw, batch_size=5000)
    days: dict = {}
    for r in raw:
        days.setdefault((r.measure_id, timezone.localtime(r.time).date()), []).append(r)
    DailyRollup.objects.filter(sensor=sensor).delete()
    DailyRollup.objects.bulk_create(
        DailyRollup(
            sensor_id=sensor.pk,
            measure_id=measure_id,
            day=day,
            count=len(rs),
            min=min(r.value for r in rs),
            max=max(r.value for r in rs),
            sum=sum(r.value for r in rs),
            last=rs[-1].value,
            last_time=rs[-1].time,
        )
        for (measure_id, day), rs in days.items()
    )
    if connection.vendor == "postgresql":  # as autovacuum would after such a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    agent = get_user_model().objects.create_user("agent", password="x")
    AgentAccess.objects.create(user=agent, member=member)
    operator = get_user_model().objects.create_user(
        "operateur", password="x", operator_role=OperatorRole.READ_ONLY
    )
    return member, sensor, agent, operator


def median_ms(work, runs: int = 5) -> float:
    work()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def year_from_raw(sensor) -> list:
    """The baseline: the same twelve months straight from the raw values."""
    return list(
        Reading.objects.filter(sensor=sensor, time__year=YEAR)
        .annotate(month=ExtractMonth("time"))
        .values("measure_id", "month")
        .order_by("measure_id", "month")
        .annotate(n=Count("id"), low=Min("value"), high=Max("value"), mean=Avg("value"))
    )


def main() -> int:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    member, sensor, agent, operator = build_fleet()
    print(
        f"fleet: {SENSORS} sensors, {MEMBERS} members, built in "
        f"{time.perf_counter() - start:.1f} s ({connection.vendor})"
    )
    staff, portal = Client(), Client()
    staff.force_login(operator)
    portal.force_login(agent)

    def hypervision():
        response = staff.get("/operateur/capteurs/hypervision/")
        assert response.status_code == 200, response.status_code

    year_url = f"/mon-espace/{member.pk}/capteurs/{sensor.pk}/?vue=annee&date={YEAR}-06-01"

    def year_page():
        response = portal.get(year_url)
        assert response.status_code == 200, response.status_code

    page_ms = median_ms(hypervision)
    if os.environ.get("BENCH_IOT_QUERIES"):  # where the page's time goes
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            hypervision()
            total = (time.perf_counter() - start) * 1000
        spent = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(f"one page: {total:.0f} ms, {len(queries)} queries, {spent:.0f} ms in SQL")
        for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
            print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
    year_ms = median_ms(year_page)
    raw_ms = median_ms(lambda: year_from_raw(sensor))
    period = Period("annee", dt.date(YEAR, 6, 1))
    quantities = [Quantity.TEMPERATURE, Quantity.BATTERY]
    series_ms = median_ms(lambda: series_for([sensor.pk], quantities, period))
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")
    print(
        f"hypervision page        {page_ms:8.1f} ms  (goal {GOAL_MS} ms: {page_ms / GOAL_MS:.2f})"
    )
    print(f"member's year (page)    {year_ms:8.1f} ms  from the daily rollups")
    print(
        f"member's year (query)   {series_ms:8.1f} ms  the rollups read; from raw: "
        f"{raw_ms / series_ms:.1f} × longer"
    )
    print(
        f"same year from raw SQL  {raw_ms:8.1f} ms  (query alone; the page / raw: "
        f"{year_ms / raw_ms:.2f})"
    )
    return 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        if PG_URL and not os.environ.get("BENCH_IOT_KEEP"):
            connection.close()
            _admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        elif PG_URL:
            print(f"kept: {PG_NAME} (drop it when done)")
    sys.exit(code)
