"""Load test of the production web server on loopback: 50 simulated users for a bounded time.

The demo operator is loaded once into its own SQLite file (var/bench/web.sqlite3, kept for the
next runs; the demo database of ``make demo`` is never touched), the static files collected in
var/bench/static, then gunicorn serves the WSGI app on 127.0.0.1:8016 with the settings of
``make serve`` (mutualis/config/gunicorn.py; DEBUG off, static files by WhiteNoise).

Simulated users (threads of the standard library's ``http.client``, one keep-alive connection
each; locust would bring gevent and a web UI for what fits in a page, and the client mostly
waits) follow journeys with a think time of 1 to 3 s:

- operators (responsable, comptable, technicien, lecture): dashboard, member list, usage list,
  invoices list, API usage list (token), and one static file;
- member agents (mairie, epci): « Mon espace » and the member's home, catalogue, invoices
  and usage pages.

Each account logs in once before the measure (a login costs a password hash, not a page).
Phase 1 (``--duration``, default 30 s): p50 / p95 per page under 50 users with think time.
Phase 2 (``--saturate``, default 15 s): the same users without think time, the throughput at
saturation. The client shares the 2 cores with the server: the figures are a floor.
Every server process started here is stopped at the end (its whole process group).

Run: .venv/bin/python bench/bench_web.py [--users 50] [--duration 30] [--saturate 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
HOST, PORT = "127.0.0.1", 8016
PASSWORD = "demo-mutualis"  # the demo's public password
OPERATORS = ["responsable", "comptable", "technicien", "lecture"]
AGENTS = ["mairie", "epci"]
# Demo accounts whose role needs the second factor (mutualis.core.twofactor).
SECOND_FACTOR = {"admin", "responsable", "comptable"}
SEED = 20260101


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mutualis.config.settings.demo",
        DATABASE_URL=f"sqlite:///{VAR / 'web.sqlite3'}",
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        # 50 users hammering the API would hit the per-user limit (5000/hour) in seconds.
        API_THROTTLE_RATE="100000000/hour",
        ACCESS_LOG=str(VAR / "access.log"),
        # The access log gives each request's time inside the worker (%(M)s, ms): the
        # server's own cost, without the wait in the queue nor the client's.
        GUNICORN_CMD_ARGS='--access-logformat "%(U)s %(s)s %(M)s"',
        BIND=f"{HOST}:{PORT}",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, load the demo once (a marker file says it is there), collect static files."""
    VAR.mkdir(parents=True, exist_ok=True)
    manage = [str(BIN / "python"), str(ROOT / "manage.py")]
    start = time.perf_counter()
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
    marker = VAR / "web.demo-loaded"
    if not marker.exists():
        print("  loading the demo operator into var/bench/web.sqlite3 (once)…", flush=True)
        subprocess.run(  # noqa: S603
            [str(BIN / "mutualis"), "demo", "load", "--address", f"http://{HOST}:{PORT}"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.touch()
    subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True
    )
    print(f"  database and static files ready in {time.perf_counter() - start:.1f} s")


def start_server(env: dict[str, str]) -> subprocess.Popen[bytes]:
    (VAR / "access.log").unlink(missing_ok=True)  # this run's requests only
    log = (VAR / "gunicorn.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "mutualis.config.wsgi", "-c", "python:mutualis.config.gunicorn"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (see {VAR / 'gunicorn.log'})")
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/sante/")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    group = os.getpgid(server.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        server.wait()


class Client:
    """One keep-alive connection with its cookies (session, CSRF) or API token."""

    def __init__(self, cookies: dict[str, str] | None = None, token: str = "") -> None:
        self.cookies = dict(cookies or {})
        self.token = token
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Host": f"{HOST}:{PORT}", "Accept-Encoding": "gzip"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, data, headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                # The server closed the keep-alive connection (sync workers do): reconnect.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, text, dict(response.headers)


def login(username: str) -> dict[str, str]:
    client = Client()
    client.request("GET", "/connexion/")
    status, _, _ = client.request(
        "POST",
        "/connexion/",
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "username": username,
            "password": PASSWORD,
        },
    )
    if status != 302:
        raise RuntimeError(f"login of {username} answered {status}")
    if username in SECOND_FACTOR:
        status, _, _ = client.request(
            "POST",
            "/connexion/double-authentification/",
            {"csrfmiddlewaretoken": client.cookies["csrftoken"], "code": demo_code()},
        )
        if status != 302:
            raise RuntimeError(f"second factor of {username} answered {status}")
    return client.cookies


def demo_code(steps_ahead: int = 0) -> str:
    """The demo accounts' TOTP code (mutualis.demo.services.DEMO_TOTP_KEY); one step ahead
    (still within django-otp's tolerance) when the current one was just used."""
    from django_otp.oath import totp

    key = b"mutualis-demo-totp!!"
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def api_token(username: str) -> str:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    credentials = {"username": username, "password": PASSWORD}
    if username in SECOND_FACTOR:  # its session login used the current code
        credentials["otp"] = demo_code(steps_ahead=1)
    body = json.dumps(credentials)
    conn.request("POST", "/api/v1/token/", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    if response.status != 200:
        raise RuntimeError(f"token of {username}: {response.status} {payload}")
    return str(payload["token"])


def agent_pages(cookies: dict[str, str]) -> list[tuple[str, str]]:
    """« Mon espace » and the pages of the first member the agent sees."""
    _, text, headers = Client(cookies).request("GET", "/mon-espace/")
    found = re.findall(r"/mon-espace/(\d+)/", headers.get("Location", "") + text)
    if not found:
        raise RuntimeError("no member found in « Mon espace »")
    pk = found[0]
    return [
        ("Mon espace", "/mon-espace/"),
        ("Mon espace : accueil du membre", f"/mon-espace/{pk}/"),
        ("Mon espace : catalogue", f"/mon-espace/{pk}/catalogue/"),
        ("Mon espace : factures", f"/mon-espace/{pk}/factures/"),
        ("Mon espace : consommations", f"/mon-espace/{pk}/consommations/"),
    ]


OPERATOR_PAGES = [
    ("tableau de bord", "/operateur/"),
    ("membres", "/operateur/membres/"),
    ("consommations", "/operateur/consommations/"),
    ("titres", "/operateur/facturation/titres/"),
]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[int]] = defaultdict(list)

    def add(self, label: str, elapsed: float, status: int) -> None:
        with self.lock:
            self.times[label].append(elapsed)
            if not 200 <= status < 400:  # « Mon espace » redirects an agent of one member
                self.errors[label].append(status)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.times.values())


def user(
    journey: list[tuple[str, str]],
    client: Client,
    recorder: Recorder,
    stop: float,
    think: bool,
    rng: random.Random,
) -> None:
    step = rng.randrange(len(journey))
    while time.monotonic() < stop:
        label, path = journey[step % len(journey)]
        step += 1
        start = time.perf_counter()
        try:
            status, _, _ = client.request("GET", path)
        except OSError:
            status = 0
        recorder.add(label, time.perf_counter() - start, status)
        if think:
            time.sleep(min(rng.uniform(1.0, 3.0), max(0.0, stop - time.monotonic())))


def run_phase(journeys: list[tuple[list[tuple[str, str]], Client]], seconds: float, think: bool):
    recorder = Recorder()
    stop = time.monotonic() + seconds
    rng = random.Random(SEED)
    threads = [
        threading.Thread(
            target=user,
            args=(journey, client, recorder, stop, think, random.Random(rng.random())),
            daemon=True,
        )
        for journey, client in journeys
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return recorder, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load test of the web server on loopback.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30, help="seconds with think time")
    parser.add_argument("--saturate", type=float, default=15, help="seconds without think time")
    args = parser.parse_args(argv)
    if args.duration + args.saturate > 60:
        parser.error("the load lasts 60 s at most (--duration + --saturate)")
    env = environment()
    print(f"Web server load test on http://{HOST}:{PORT} ({os.cpu_count()} cores)")
    prepare(env)
    server = start_server(env)
    try:
        workers = len(re.findall(r"Booting worker", (VAR / "gunicorn.log").read_text()))
        print(f"  gunicorn: {workers} sync workers (2 × cores + 1), SQLite (WAL), DEBUG off")
        start = time.perf_counter()
        sessions = {name: login(name) for name in OPERATORS + AGENTS}
        token = api_token("comptable")
        print(f"  {len(sessions)} logins and one API token in {time.perf_counter() - start:.1f} s")
        _, login_page, _ = Client().request("GET", "/connexion/")
        css = re.search(r'href="(/static/[^"]+\.css)"', login_page)
        static = [("fichier statique (WhiteNoise)", css.group(1))] if css else []
        agent_journeys = {name: agent_pages(sessions[name]) for name in AGENTS}
        journeys = []
        for i in range(args.users):
            if i % 5 < 3:  # three operators for two member agents
                name = OPERATORS[i % len(OPERATORS)]
                journey = [*OPERATOR_PAGES, ("API : consommations", "/api/v1/usage/"), *static]
                # The API page goes with the token, the others with the session.
                journeys.append((journey, OperatorClient(sessions[name], token)))
            else:
                name = AGENTS[i % len(AGENTS)]
                journeys.append((agent_journeys[name], Client(sessions[name])))

        print(f"(1) {args.users} users, think time 1-3 s, {args.duration:.0f} s")
        logged = _log_lines()
        recorder, elapsed = run_phase(journeys, args.duration, think=True)
        server_ms = _server_times(logged, {path: label for j, _ in journeys for label, path in j})
        print(
            f"  {'page':<34} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}"
            f"   in the worker: {'p50':>5} {'p95':>5}"
        )
        for label in sorted(recorder.times, key=lambda k: -statistics.median(recorder.times[k])):
            values = recorder.times[label]
            own = server_ms.get(label) or [0.0]
            print(
                f"  {label:<34} {len(values):>6} {percentile(values, 50) * 1000:>8.0f}"
                f" {percentile(values, 95) * 1000:>8.0f} {len(recorder.errors[label]):>7}"
                f"   {'':>14}{percentile(own, 50):>5.0f} {percentile(own, 95):>5.0f}"
            )
        print(f"  {recorder.count / elapsed:.1f} requests/s served with think time")
        errors = {k: v for k, v in recorder.errors.items() if v}

        print(
            f"(2) saturation: the same {args.users} users without think time, {args.saturate:.0f} s"
        )
        saturated, elapsed = run_phase(journeys, args.saturate, think=False)
        every = [t for values in saturated.times.values() for t in values]
        print(
            f"  throughput {saturated.count / elapsed:.1f} requests/s ; "
            f"p50 {percentile(every, 50) * 1000:.0f} ms, p95 {percentile(every, 95) * 1000:.0f} ms"
        )
        errors.update({k: v for k, v in saturated.errors.items() if v})
    finally:
        stop_server(server)
        print("  server stopped")
    if errors:
        print(f"ERROR: pages that failed (status): {errors}", file=sys.stderr)
        return 1
    return 0


def _log_lines() -> int:
    path = VAR / "access.log"
    return len(path.read_text().splitlines()) if path.exists() else 0


def _server_times(skip: int, labels: dict[str, str]) -> dict[str, list[float]]:
    """Per page label, the time (ms) of each request inside its worker, from the access log
    lines written after the first ``skip`` ones."""
    times: dict[str, list[float]] = defaultdict(list)
    path = VAR / "access.log"
    for line in path.read_text().splitlines()[skip:] if path.exists() else []:
        parts = line.strip().strip('"').split()
        if len(parts) == 3 and parts[0] in labels and parts[2].isdigit():
            times[labels[parts[0]]].append(float(parts[2]))
    return times


class OperatorClient(Client):
    """Session cookies for the pages, the API token for /api/."""

    def __init__(self, cookies: dict[str, str], token: str) -> None:
        super().__init__(cookies)
        self.api_token = token

    def request(self, method, path, body=None):  # type: ignore[no-untyped-def]
        self.token = self.api_token if path.startswith("/api/") else ""
        return super().request(method, path, body)


if __name__ == "__main__":
    sys.exit(main())
