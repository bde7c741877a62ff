"""A client of GLPI's REST API (apirest.php), for the tickets only.

The protocol, as GLPI documents it (apirest.md):
- `GET initSession` with `App-Token` and `Authorization: user_token …` gives a session token;
- every other call carries `Session-Token` (and `App-Token`);
- `GET listSearchOptions/Ticket` names the search options (columns) by number;
- `GET search/Ticket?criteria[0][field]=…&forcedisplay[0]=…&range=0-99` answers a page of
  rows (200, or 206 when there are more) with `Content-Range: start-end/total` and
  `totalcount`; rows are objects keyed by search option numbers;
- `GET killSession` ends the session;
- a refusal is an HTTP error with a JSON array `["ERROR_…", "message"]`.
"""

import json
import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

PAGE_SIZE = 100

# The columns read, by (table, field) as listSearchOptions names them; the numbers are
# GLPI's own (Ticket search options), used when the listing does not name a column.
COLUMNS: dict[str, tuple[str, str, int]] = {
    "name": ("glpi_tickets", "name", 1),
    "id": ("glpi_tickets", "id", 2),
    "priority": ("glpi_tickets", "priority", 3),
    "category": ("glpi_itilcategories", "completename", 7),
    "status": ("glpi_tickets", "status", 12),
    "date": ("glpi_tickets", "date", 15),
    "closedate": ("glpi_tickets", "closedate", 16),
    "solvedate": ("glpi_tickets", "solvedate", 17),
    "time_to_resolve": ("glpi_tickets", "time_to_resolve", 18),
    "date_mod": ("glpi_tickets", "date_mod", 19),
    "entity": ("glpi_entities", "completename", 80),
    "takeintoaccount_delay_stat": ("glpi_tickets", "takeintoaccount_delay_stat", 150),
    "solve_delay_stat": ("glpi_tickets", "solve_delay_stat", 154),
    "time_to_own": ("glpi_tickets", "time_to_own", 155),
}

ERRORS = {
    "ERROR_GLPI_LOGIN_USER_TOKEN": gettext_lazy(
        "GLPI refuse le jeton d'utilisateur : vérifiez-le dans les préférences de l'utilisateur "
        "GLPI (« Clé d'accès distant »)."
    ),
    "ERROR_LOGIN_PARAMETERS_MISSING": gettext_lazy(
        "GLPI attend un jeton d'utilisateur : renseignez-le."
    ),
    "ERROR_APP_TOKEN_PARAMETERS_MISSING": gettext_lazy(
        "GLPI exige un jeton d'application (App-Token) : renseignez celui du client d'API."
    ),
    "ERROR_WRONG_APP_TOKEN_PARAMETER": gettext_lazy(
        "GLPI refuse le jeton d'application (App-Token) : vérifiez-le dans Configuration › "
        "Générale › API."
    ),
    "ERROR_NOT_ALLOWED_IP": gettext_lazy(
        "GLPI n'accepte pas les appels de ce serveur : ajoutez son adresse au client d'API "
        "(Configuration › Générale › API)."
    ),
    "ERROR_SESSION_TOKEN_INVALID": gettext_lazy(
        "GLPI a refusé la session (jeton de session invalide ou expiré) : relancez la "
        "synchronisation."
    ),
    "ERROR_SESSION_TOKEN_MISSING": gettext_lazy("GLPI n'a pas reçu de jeton de session."),
    "ERROR_RIGHT_MISSING": gettext_lazy(
        "L'utilisateur GLPI n'a pas le droit de lire les tickets : donnez-lui un profil qui "
        "voit tous les tickets des entités des membres."
    ),
    "ERROR_GLPI_LOGIN": gettext_lazy("GLPI n'a pas pu ouvrir de session pour cet utilisateur."),
    "ERROR_SQL": gettext_lazy(
        "GLPI a rencontré une erreur de base de données (voir ses journaux)."
    ),
}


class GlpiError(Exception):
    """GLPI could not be read, said in French for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    start: int
    end: int
    total: int


def _error_code(body: bytes) -> tuple[str, str]:
    try:
        payload = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return "", ""
    if isinstance(payload, list) and payload and isinstance(payload[0], str):
        detail = payload[1] if len(payload) > 1 and isinstance(payload[1], str) else ""
        return payload[0], detail
    return "", ""


class GlpiClient:
    def __init__(self, url: str, *, app_token: str = "", user_token: str, timeout: float = 30):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise GlpiError(_("L'adresse de GLPI doit commencer par https:// (ou http://)."))
        self.base = url.rstrip("/") + "/"
        self.app_token = app_token
        self.user_token = user_token
        self.timeout = timeout
        self.session_token = ""
        self.calls = 0

    # Transport

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.app_token:
            headers["App-Token"] = self.app_token
        if self.session_token:
            headers["Session-Token"] = self.session_token
        headers.update(extra)
        return headers

    def _get(self, path: str, params: list[tuple[str, str]] | None = None, headers=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        # The scheme is http(s), checked in __init__.
        request = urllib.request.Request(  # noqa: S310
            url, headers=self._headers(headers or {}), method="GET"
        )
        self.calls += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read()
        except TimeoutError as error:
            raise GlpiError(
                _("GLPI n'a pas répondu en %(seconds)s secondes (%(url)s).")
                % {"seconds": int(self.timeout), "url": self.base}
            ) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise GlpiError(
                    _("GLPI n'a pas répondu en %(seconds)s secondes (%(url)s).")
                    % {"seconds": int(self.timeout), "url": self.base}
                ) from error
            raise GlpiError(
                _("Impossible de joindre GLPI à l'adresse %(url)s : %(reason)s.")
                % {"url": self.base, "reason": error.reason}
            ) from error

    def _json(self, status: int, body: bytes) -> Any:
        if status >= 400:
            code, detail = _error_code(body)
            if code in ERRORS:
                raise GlpiError(str(ERRORS[code]))
            if status == 401:
                raise GlpiError(_("GLPI refuse l'accès (401) : vérifiez les jetons."))
            if status == 404:
                raise GlpiError(
                    _(
                        "Pas d'API GLPI à cette adresse (404) : donnez l'adresse de apirest.php "
                        "et vérifiez que l'API REST est activée."
                    )
                )
            raise GlpiError(
                _("GLPI a répondu par une erreur %(status)s : %(code)s %(detail)s")
                % {"status": status, "code": code, "detail": detail[:200]}
            )
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError as error:
            raise GlpiError(
                _("La réponse de GLPI n'est pas lisible (JSON attendu) : est-ce bien apirest.php ?")
            ) from error

    # The API

    def init_session(self) -> None:
        status, _headers, body = self._get(
            "initSession", headers={"Authorization": f"user_token {self.user_token}"}
        )
        payload = self._json(status, body)
        token = payload.get("session_token") if isinstance(payload, dict) else None
        if not token:
            raise GlpiError(_("GLPI n'a pas donné de jeton de session."))
        self.session_token = str(token)

    def kill_session(self) -> None:
        if not self.session_token:
            return
        try:
            self._get("killSession")
        except GlpiError:
            logger.warning("GLPI killSession failed", exc_info=True)
        self.session_token = ""

    def search_options(self) -> dict[str, int]:
        """The search option number of each column read (GLPI's defaults when not listed)."""
        status, _headers, body = self._get("listSearchOptions/Ticket")
        listed = self._json(status, body)
        found: dict[tuple[str, str], int] = {}
        if isinstance(listed, dict):
            for key, option in listed.items():
                if isinstance(option, dict) and str(key).isdigit():
                    found.setdefault((option.get("table", ""), option.get("field", "")), int(key))
        return {name: found.get((t, f), default) for name, (t, f, default) in COLUMNS.items()}

    def search_page(self, params: list[tuple[str, str]], start: int, size: int) -> Page:
        status, headers, body = self._get(
            "search/Ticket", [*params, ("range", f"{start}-{start + size - 1}")]
        )
        if status == 400 and _error_code(body)[0] == "ERROR_RANGE_EXCEED_TOTAL":
            return Page([], start, start - 1, start)
        payload = self._json(status, body)
        if not isinstance(payload, dict):
            raise GlpiError(_("La réponse de GLPI à la recherche n'est pas celle attendue."))
        data = payload.get("data") or []
        rows = list(data.values()) if isinstance(data, dict) else list(data)
        total = int(payload.get("totalcount") or 0)
        end = start + len(rows) - 1
        content_range = {k.lower(): v for k, v in headers.items()}.get("content-range", "")
        if match := re.fullmatch(r"\s*(\d+)-(\d+)/(\d+)\s*", content_range):
            end, total = int(match.group(2)), int(match.group(3))
        return Page([r for r in rows if isinstance(r, dict)], start, end, total)

    def tickets(
        self, options: dict[str, int], *, modified_since: str = "", page_size: int = PAGE_SIZE
    ) -> Iterator[Page]:
        """Pages of tickets modified since `modified_since` (GLPI's « Y-m-d H:i:s »), by
        modification date; every column of COLUMNS displayed."""
        params: list[tuple[str, str]] = []
        if modified_since:
            params += [
                ("criteria[0][field]", str(options["date_mod"])),
                ("criteria[0][searchtype]", "morethan"),
                ("criteria[0][value]", modified_since),
            ]
        params += [(f"forcedisplay[{i}]", str(number)) for i, number in enumerate(options.values())]
        params += [("sort", str(options["date_mod"])), ("order", "ASC")]
        start = 0
        while True:
            page = self.search_page(params, start, page_size)
            yield page
            if not page.rows or page.end + 1 >= page.total:
                return
            start = page.end + 1
