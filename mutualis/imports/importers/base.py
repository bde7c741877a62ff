"""What every importer shares: columns, value parsers, the member index, error collection.

An importer validates one row at a time (`clean`), gives each cleaned row its idempotency key
(`key`), may check rows against each other (`check`), and finally writes one row (`apply`),
returning "created", "updated" or "unchanged". Validation reads the database; only `apply`
writes, and the caller runs every `apply` in one transaction.
"""

import datetime as dt
import logging
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.numbers import InputError, format_date
from mutualis.core.numbers import parse_date as read_date
from mutualis.core.roles import Capability
from mutualis.core.tabular import ImportReport, RowError, TableRow, fold
from mutualis.members.models import Member

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str | Promise
    example: str = ""


format_day = format_date


def member_column(example: str) -> Column:
    """The `membre` column of the files that name an existing member."""
    return Column(
        "membre",
        True,
        gettext_lazy(
            "SIREN ou code INSEE d'un membre déjà enregistré (ou son numéro Mutualis, "
            "#123, pour un établissement sans SIREN)."
        ),
        example,
    )


START_COLUMN = Column("debut", True, gettext_lazy("Date de début : 31/01/2024 ou 2024-01-31."), "")
END_COLUMN = Column("fin", False, gettext_lazy("Date de fin (facultatif)."), "")


# A cell's value refused, with the French reason: the one reader's error.
FieldError = InputError


def token(value: Any) -> str:
    """ "Office de tourisme", "office_de_tourisme" and "OFFICE DE TOURISME" give one token."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(value))).split())


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return str(value).strip()


def parse_text(value: Any, *, required: bool = False, max_length: int | None = None) -> str:
    text = as_text(value)
    if required and not text:
        raise FieldError(_("Valeur obligatoire."))
    if max_length is not None and len(text) > max_length:
        raise FieldError(
            _("%(length)s caractères : %(max)s au plus.") % {"length": len(text), "max": max_length}
        )
    return text


def parse_siren(value: Any, *, required: bool = False) -> str:
    text = as_text(value)
    if not text:
        if required:
            raise FieldError(_("Valeur obligatoire."))
        return ""
    compact = re.sub(r"[\s.\u00a0\u202f]", "", text)
    if not re.fullmatch(r"\d{9}", compact):
        raise FieldError(_("« %(value)s » n'est pas un SIREN (9 chiffres).") % {"value": text})
    return compact


def parse_code(value: Any, *, required: bool = True) -> str:
    """An official code as typed or as a spreadsheet stored it (33063, 2A004, 213300635, 01)."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        # A spreadsheet turns the INSEE code 01053 into 1053 and the département 01 into 1.
        if len(text) == 4:
            text = text.zfill(5)
        elif len(text) == 1:
            text = text.zfill(2)
    else:
        text = re.sub(r"[\s.\u00a0\u202f]", "", as_text(value)).upper()
    if required and not text:
        raise FieldError(_("Valeur obligatoire."))
    return text


def parse_date(value: Any, *, required: bool = False) -> dt.date | None:
    return read_date(value, required=required)


def choice_lookup(choices: type[models.TextChoices], aliases: dict[str, str] | None = None):
    """Accepted spellings -> code: each code, each French label, and the given aliases."""
    lookup = {}
    for code, label in choices.choices:
        lookup[token(code)] = code
        lookup[token(label)] = code
    for alias, code in (aliases or {}).items():
        lookup[token(alias)] = code
    return lookup


def parse_choice(
    value: Any, choices: type[models.TextChoices], lookup: dict[str, str], *, required: bool
) -> str:
    text = as_text(value)
    if not text:
        if required:
            raise FieldError(_("Valeur obligatoire."))
        return ""
    code = lookup.get(token(text))
    if code is None:
        accepted = ", ".join(f"{code} ({label})" for code, label in choices.choices)
        raise FieldError(
            _("« %(value)s » n'est pas une valeur reconnue. Valeurs possibles : %(accepted)s.")
            % {"value": text, "accepted": accepted}
        )
    return code


def parse_email(value: Any) -> str:
    text = as_text(value)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError as exc:
        raise FieldError(
            _("« %(value)s » n'est pas une adresse électronique valide.") % {"value": text}
        ) from exc
    if len(text) > 254:
        raise FieldError(_("Adresse électronique trop longue."))
    return text


def member_code(member: Member | None) -> str:
    """How files name a member: its SIREN, or its INSEE code, or failing both (an
    establishment without SIREN) its Mutualis number, written « #123 »."""
    if member is None:
        return ""
    return member.siren or member.insee_code or f"#{member.pk}"


class MemberIndex:
    """Every member, loaded once and looked up by SIREN or INSEE code."""

    def __init__(self):
        self.by_pk: dict[int, Member] = {}
        self.by_siren: dict[str, Member] = {}
        self.by_insee: dict[str, Member] = {}
        for member in Member.objects.order_by("pk"):
            self.add(member)

    def add(self, member: Member) -> None:
        self.by_pk[member.pk] = member
        if member.siren:
            self.by_siren[member.siren] = member
        if member.insee_code:
            self.by_insee.setdefault(member.insee_code.upper(), member)

    def find(self, code: str) -> Member | None:
        if re.fullmatch(r"\d{9}", code):
            return self.by_siren.get(code)
        if re.fullmatch(r"#\d+", code):
            return self.by_pk.get(int(code[1:]))
        return self.by_insee.get(code.upper())


class _RollBack(Exception):
    """Raised inside the apply transaction when a row was refused."""


class Importer:
    kind: ClassVar[str]
    # Who may import this kind of file.
    capability: ClassVar[Capability] = Capability.MANAGE_MEMBERS
    columns: ClassVar[tuple[Column, ...]]
    # Model field -> column: places a service's ValidationError on the right column.
    model_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, file_name: str, *, user=None, options: dict | None = None):
        self.file_name = file_name
        self.user = user
        self.options = options or {}
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.present_columns: set[str] = set()

    # Helpers

    def error(self, line: int | None, column: str, message: str) -> None:
        self.errors.append(RowError(self.file_name, line, column, message))

    def warn(self, line: int | None, column: str, message: str) -> None:
        """A row that is imported but listed in the report for a second look."""
        self.warnings.append(RowError(self.file_name, line, column, message))

    def field(self, row: TableRow, column: str, parser, *args, **kwargs) -> Any:
        """Parses one cell; a bad value is recorded and comes back as None."""
        try:
            return parser(row.get(column), *args, **kwargs)
        except FieldError as exc:
            self.error(row.line, column, exc.message)
            return None

    def has_column(self, column: str) -> bool:
        return column in self.present_columns

    def member_of(self, row: TableRow, index: "MemberIndex") -> Member | None:
        """The member named by the row's `membre` column; an unknown code is a row error."""
        code = self.field(row, "membre", parse_code)
        member = index.find(code) if code else None
        if code and member is None:
            self.error(
                row.line,
                "membre",
                _("Aucun membre ne porte le code « %(code)s ».") % {"code": code},
            )
        return member

    def check_period(self, row: TableRow, start: dt.date | None, end: dt.date | None) -> None:
        if start and end and end < start:
            self.error(
                row.line,
                "fin",
                _("La fin (%(end)s) précède le début (%(start)s).")
                % {"end": format_day(end), "start": format_day(start)},
            )

    def service_errors(self, line: int, error: ValidationError) -> list[RowError]:
        """A service's refusal, as row errors of this file."""
        if hasattr(error, "error_dict"):
            errors = []
            for model_field, messages in error.message_dict.items():
                column = self.model_fields.get(model_field, "")
                errors.extend(RowError(self.file_name, line, column, m) for m in messages)
            return errors
        return [RowError(self.file_name, line, "", m) for m in error.messages]

    @classmethod
    def column_names(cls) -> list[str]:
        return [c.name for c in cls.columns]

    # The lifecycle, overridden by each kind

    def prepare(self, rows: list[TableRow]) -> None:
        """Loads what validation needs, in a fixed number of queries."""

    def clean(self, row: TableRow) -> Any | None:
        raise NotImplementedError

    def key(self, cleaned: Any) -> tuple[Hashable, str]:
        """The idempotency key of a cleaned row and the columns that make it."""
        raise NotImplementedError

    def check(self, cleaned_rows: Iterable[Any]) -> None:
        """Checks rows against each other and the database, once all are clean."""

    def apply_order(self, cleaned: Any) -> int:
        return 0

    def apply(self, cleaned: Any) -> str:
        raise NotImplementedError

    def apply_all(self, cleaned_rows: list, report: ImportReport) -> None:
        """All or nothing: each row in a savepoint, every refusal reported, then a rollback.
        A kind that writes many rows at once may override it, keeping that rule."""
        try:
            with transaction.atomic():
                for cleaned in sorted(cleaned_rows, key=self.apply_order):
                    try:
                        with transaction.atomic():
                            outcome = self.apply(cleaned)
                    except ValidationError as exc:
                        report.extend(self.service_errors(cleaned.line, exc))
                    except DatabaseError as exc:
                        logger.warning("import row %s refused: %s", cleaned.line, exc)
                        report.add_error(
                            RowError(
                                self.file_name,
                                cleaned.line,
                                "",
                                _("Enregistrement refusé par la base de données : %(error)s")
                                % {"error": exc},
                            )
                        )
                    else:
                        report.count(outcome)
                if not report.ok:
                    raise _RollBack
        except _RollBack:
            report.created = report.updated = report.unchanged = 0
