"""Reads of the audit trail: the history of objects, and the administrator's search."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.audit.models import TRACKED, BulkEvent

ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}
PANEL_LIMIT = 50


@dataclass
class Entry:
    at: dt.datetime
    user: str
    ip: str
    action: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    object_url: str = ""


def _label(model) -> str:
    return str(model._meta.verbose_name)


def _text(value) -> str:
    """A stored value as people read it: dates the French way."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)[:200]


def _shown(field, record) -> str:
    """A field's value in a record: the label of a choice, « n° 12 » for a link."""
    value = getattr(record, field.attname, None)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and value is not None:
        return f"n° {value}"
    return _text(value)


def _who(user) -> str:
    if user is None:
        return _("système")
    name = str(user)
    return name if name == user.get_username() else f"{name} ({user.get_username()})"


def _entries(records: list, model) -> list[Entry]:
    """Entries of one object's records, oldest first, each with what changed since the one
    before it (only the fields that changed)."""
    fields = [f for f in records[0].instance_type._meta.fields if hasattr(records[0], f.attname)]
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            for f in fields:
                old, new = _shown(f, previous), _shown(f, record)
                if old != new and f.name != "updated_at":
                    changes.append((str(f.verbose_name), old, new))
        entries.append(
            Entry(
                at=record.history_date,
                user=_who(record.history_user),
                ip=record.ip_address or "",
                action=_(ACTIONS.get(record.history_type, record.history_type)),
                what=f"{_label(model)} n° {record.id}",
                changes=changes,
            )
        )
        previous = record
    return entries


def history_of(*objects) -> list[Entry]:
    """The trail of the given objects (or querysets of them), newest first, with the bulk
    writes recorded on them: one query per model, whatever the number of objects."""
    by_model: dict[type, set[int]] = defaultdict(set)
    for item in objects:
        instances = list(item[:PANEL_LIMIT]) if isinstance(item, models.QuerySet) else [item]
        for instance in instances:
            if instance is not None and type(instance) in TRACKED:
                by_model[type(instance)].add(instance.pk)
    entries: list[Entry] = []
    for model, ids in by_model.items():
        records: dict[int, list] = defaultdict(list)
        for record in (
            model.history.filter(id__in=ids)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            records[record.id].append(record)
        for object_records in records.values():
            entries.extend(_entries(object_records, model))
        entries.extend(_bulk_events(model, ids))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:PANEL_LIMIT]


def _bulk_events(model, ids) -> list[Entry]:
    events = BulkEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    ).select_related("user")
    return [
        Entry(
            at=event.at,
            user=_who(event.user),
            ip=event.ip_address or "",
            action=event.action,
            what=f"{_label(model)} n° {event.object_id}",
            changes=[(_("lignes"), "", str(event.count))]
            + [(str(k), "", str(v)) for k, v in event.detail.items()],
        )
        for event in events
    ]


def model_choices() -> list[tuple[str, str]]:
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in TRACKED),
        key=lambda c: c[1],
    )


def search(
    *,
    model_label: str = "",
    username: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    object_id: int | None = None,
    limit: int = 200,
) -> list[Entry]:
    """Changes across the tracked models, newest first, filtered."""
    from django.apps import apps

    models_ = [apps.get_model(model_label)] if model_label else list(TRACKED)
    entries: list[Entry] = []
    for model in models_:
        records = model.history.select_related("history_user")
        if username:
            records = records.filter(history_user__username__iexact=username)
        if since:
            records = records.filter(history_date__date__gte=since)
        if until:
            records = records.filter(history_date__date__lte=until)
        if object_id:
            records = records.filter(id=object_id)
        for record in records.order_by("-history_date", "-pk")[:limit]:
            entries.append(
                Entry(
                    at=record.history_date,
                    user=_who(record.history_user),
                    ip=record.ip_address or "",
                    action=_(ACTIONS.get(record.history_type, record.history_type)),
                    what=f"{_label(model)} n° {record.id} — {str(record.history_object)[:120]}",
                    changes=_changes_with_previous(record),
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _changes_with_previous(record) -> list[tuple[str, str, str]]:
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    names = {f.name: f for f in record.instance_type._meta.fields}
    return [
        (
            str(names[c.field].verbose_name) if c.field in names else c.field,
            _text(c.old),
            _text(c.new),
        )
        for c in delta.changes
        if c.field != "updated_at"
    ]
