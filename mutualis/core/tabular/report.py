"""What an import found in a file: the problems by file, line and column, and the counts."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file; `line` is None for the file as a whole."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(_("ligne %(line)s") % {"line": self.line})
        if self.field:
            where.append(_("colonne %(field)s") % {"field": self.field})
        return f"{', '.join(where)} : {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RowError":
        return cls(
            file=data.get("file", ""),
            line=data.get("line"),
            field=data.get("field", ""),
            message=data.get("message", ""),
        )


@dataclass
class ImportReport:
    """What an import did, or why it did nothing. Stored as JSON on the job."""

    MAX_STORED_ERRORS = 1000

    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # Rows imported but worth a second look (a reading ten times the previous one...).
    warnings: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def omitted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_STORED_ERRORS:
            self.errors.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.add_error(error)

    def count(self, outcome: str) -> None:
        """Counts one applied row: outcome is "created", "updated" or "unchanged"."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "errors": [error.to_dict() for error in self.errors],
            "error_count": self.error_count,
            "warnings": [w.to_dict() for w in self.warnings[: self.MAX_STORED_ERRORS]],
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ImportReport":
        data = data or {}
        errors = [RowError.from_dict(e) for e in data.get("errors", [])]
        return cls(
            errors=errors,
            error_count=data.get("error_count", len(errors)),
            warnings=[RowError.from_dict(w) for w in data.get("warnings", [])],
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
        )


class TabularError(Exception):
    """The file cannot be read at all."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error
