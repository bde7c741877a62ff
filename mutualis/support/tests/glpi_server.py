"""A small GLPI for the tests: a real HTTP server on 127.0.0.1 that speaks the part of the
REST API the connector uses, as apirest.md documents it (initSession with App-Token and
user_token, Session-Token, listSearchOptions/Ticket, search/Ticket with criteria, forcedisplay,
range and Content-Range, killSession, errors as ["ERROR_…", "message"])."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# GLPI's Ticket search options, as listSearchOptions/Ticket lists them (an extract).
OPTIONS = {
    "common": "Caractéristiques",
    "1": {"name": "Titre", "table": "glpi_tickets", "field": "name"},
    "2": {"name": "ID", "table": "glpi_tickets", "field": "id"},
    "3": {"name": "Priorité", "table": "glpi_tickets", "field": "priority"},
    "7": {"name": "Catégorie", "table": "glpi_itilcategories", "field": "completename"},
    "12": {"name": "Statut", "table": "glpi_tickets", "field": "status"},
    "15": {"name": "Date d'ouverture", "table": "glpi_tickets", "field": "date"},
    "16": {"name": "Date de clôture", "table": "glpi_tickets", "field": "closedate"},
    "17": {"name": "Date de résolution", "table": "glpi_tickets", "field": "solvedate"},
    "18": {"name": "Temps de résolution", "table": "glpi_tickets", "field": "time_to_resolve"},
    "19": {"name": "Dernière modification", "table": "glpi_tickets", "field": "date_mod"},
    "80": {"name": "Entité", "table": "glpi_entities", "field": "completename"},
    "150": {
        "name": "Délai de prise en compte",
        "table": "glpi_tickets",
        "field": "takeintoaccount_delay_stat",
    },
    "154": {"name": "Délai de résolution", "table": "glpi_tickets", "field": "solve_delay_stat"},
    "155": {"name": "Temps de prise en charge", "table": "glpi_tickets", "field": "time_to_own"},
}
FIELD_OF = {
    int(k): v["field"] if v["table"] != "glpi_entities" else "entity"
    for k, v in OPTIONS.items()
    if k != "common"
}
FIELD_OF[7] = "category"
MAX_RANGE = 990  # GLPI's Accept-Range for tickets


@dataclass
class FakeGlpi:
    """The state of the server; tests change it between synchronisations."""

    app_token: str = "app-token-de-test"
    user_token: str = "jeton-utilisateur-de-test"
    tickets: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering a search (a GLPI too slow)
    expire_sessions: bool = False  # the next search finds the session gone
    sessions: set[str] = field(default_factory=set)
    killed: list[str] = field(default_factory=list)
    searches: list[dict[str, list[str]]] = field(default_factory=list)
    counter: int = 0

    def ticket(self, **values) -> dict[str, Any]:
        """Adds a ticket: GLPI field names (name, date, status 1–6, date_mod, entity…)."""
        self.counter += 1
        values.setdefault("id", self.counter)
        values.setdefault("date_mod", values.get("date"))
        self.tickets.append(values)
        return values


def _matches(ticket: dict[str, Any], criteria: dict[int, dict[str, str]]) -> bool:
    for criterion in criteria.values():
        name = FIELD_OF[int(criterion["field"])]
        value = ticket.get(name) or ""
        if criterion["searchtype"] == "morethan" and not str(value) > criterion["value"]:
            return False
        if criterion["searchtype"] == "lessthan" and not str(value) < criterion["value"]:
            return False
        if criterion["searchtype"] == "equals" and str(value) != criterion["value"]:
            return False
    return True


def _criteria(query: dict[str, list[str]]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    for key, values in query.items():
        if key.startswith("criteria["):
            index, name = key[len("criteria[") : -1].split("][")
            found.setdefault(int(index), {})[name] = values[0]
    return found


class Handler(BaseHTTPRequestHandler):
    glpi: FakeGlpi

    def log_message(self, format, *args):
        pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: str, message: str):
        self._send(status, [code, message])

    def do_GET(self):
        parsed = urllib.parse.urlparse(self.path)
        path = parsed.path.removeprefix("/glpi/apirest.php/").rstrip("/")
        query = urllib.parse.parse_qs(parsed.query)
        glpi = self.glpi
        if self.headers.get("App-Token") is None:
            return self._error(
                400, "ERROR_APP_TOKEN_PARAMETERS_MISSING", "missing parameter app_token"
            )
        if self.headers.get("App-Token") != glpi.app_token:
            return self._error(
                400, "ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong"
            )
        if path == "initSession":
            authorization = self.headers.get("Authorization", "")
            if not authorization.startswith("user_token "):
                return self._error(400, "ERROR_LOGIN_PARAMETERS_MISSING", "missing parameters")
            if authorization.removeprefix("user_token ") != glpi.user_token:
                return self._error(
                    401, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid"
                )
            token = f"session-{len(glpi.sessions) + len(glpi.killed) + 1}"
            glpi.sessions.add(token)
            return self._send(200, {"session_token": token})
        session = self.headers.get("Session-Token")
        if not session:
            return self._error(
                400, "ERROR_SESSION_TOKEN_MISSING", "parameter session_token is missing or empty"
            )
        if session not in glpi.sessions:
            return self._error(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid")
        if path == "killSession":
            glpi.sessions.discard(session)
            glpi.killed.append(session)
            return self._send(200, [])
        if path == "listSearchOptions/Ticket":
            return self._send(200, OPTIONS)
        if path == "search/Ticket":
            return self._search(query, session)
        return self._error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found")

    def _search(self, query: dict[str, list[str]], session: str):
        glpi = self.glpi
        glpi.searches.append(query)
        if glpi.delay:
            time.sleep(glpi.delay)
        if glpi.expire_sessions:
            glpi.sessions.discard(session)
            return self._error(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid")
        rows = [t for t in glpi.tickets if _matches(t, _criteria(query))]
        sort = FIELD_OF[int(query.get("sort", ["1"])[0])]
        rows.sort(key=lambda t: (str(t.get(sort) or ""), t["id"]))
        if query.get("order", ["ASC"])[0] == "DESC":
            rows.reverse()
        start, end = (int(x) for x in query.get("range", ["0-49"])[0].split("-"))
        end = min(end, start + MAX_RANGE - 1)
        total = len(rows)
        if total and start >= total:
            return self._error(
                400, "ERROR_RANGE_EXCEED_TOTAL", "Provided range exceed total count of data"
            )
        shown = rows[start : end + 1]
        displayed = {int(v[0]) for k, v in query.items() if k.startswith("forcedisplay[")}
        displayed |= {1, 2, 80}  # always shown
        data = []
        for ticket in shown:
            data.append(
                {str(n): ticket.get(FIELD_OF[n]) for n in sorted(displayed) if n in FIELD_OF}
            )
        last = start + len(shown) - 1
        status = 206 if total and last + 1 < total else 200
        return self._send(
            status,
            {"totalcount": total, "count": len(shown), "sort": [], "order": [], "data": data},
            {
                "Content-Range": f"{start}-{max(last, 0)}/{total}",
                "Accept-Range": f"Ticket {MAX_RANGE}",
            },
        )


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is no error of the server


class GlpiServer:
    """Started on a free port of 127.0.0.1 in a thread; `url` is its apirest.php."""

    def __init__(self, glpi: FakeGlpi | None = None):
        self.glpi = glpi or FakeGlpi()
        handler = type("BoundHandler", (Handler,), {"glpi": self.glpi})
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/glpi/apirest.php"

    def __enter__(self) -> "GlpiServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
