"""Reading the audit trail that django-simple-history records for planning data.

Apps register their audited models here under a short kind name; the generic history view
and the API use the registry so that every audited model gets a history page for free.
Reading never loads related objects one by one: foreign keys are resolved in one query per
related model, and a related object deleted since shows as its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Registration:
    model: type[Model]
    perm: str  # who may read this kind's history (checked against the municipality)


_REGISTRY: dict[str, Registration] = {}


def register(kind: str, model: type[Model], perm: str = "core.view_audit") -> None:
    """Make ``model`` (which has ``history = audited()``) viewable as ``kind``."""
    _REGISTRY[kind] = Registration(model, perm)


def model_for(kind: str) -> type[Model] | None:
    registration = _REGISTRY.get(kind)
    return registration.model if registration else None


def perm_for(kind: str) -> str:
    return _REGISTRY[kind].perm


def registered() -> dict[str, type[Model]]:
    return {kind: r.model for kind, r in _REGISTRY.items()}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    """One recorded change: who, when, what kind, and which fields changed from what to what."""

    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted
    changes: list[FieldChange] = field(default_factory=list)
    snapshot: str = ""


def _who(record) -> str:
    """The acting person; after their account was deleted, the name kept with the record."""
    if record.history_user_id:
        return str(record.history_user)
    return getattr(record, "history_user_name", "") or _("System")


def _label(record) -> str:
    """What the record was, without failing on related objects deleted since."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"#{_object_id(record)}"


def _fk_labels(model: type[Model], records: list, names: set[str]) -> dict[tuple[str, object], str]:
    """Labels of the foreign-key values in ``records`` for the fields ``names`` (one query each)."""
    labels: dict[tuple[str, object], str] = {}
    for name in names:
        related = model._meta.get_field(name).related_model
        ids = {getattr(r, f"{name}_id") for r in records} - {None}
        found = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
        for pk in ids:
            labels[(name, pk)] = found.get(pk, _("#%(id)s (deleted)") % {"id": pk})
    return labels


def _value(model, record, name: str, fk_labels) -> str:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(getattr(record, name, "") or "–")
    if isinstance(model_field, models.ForeignKey):
        pk = getattr(record, f"{name}_id")
        return "–" if pk is None else fk_labels.get((name, pk), f"#{pk}")
    value = getattr(record, name, None)
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def entries_for(model: type[Model], records: QuerySet | list | int) -> list[AuditEntry]:
    """The history of one object (its historical records, or its id), oldest first, with
    field-level differences; one query, plus one per changed foreign-key field."""
    if isinstance(records, int):
        records = history_records(model, records)
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    diffs = {}
    fk_names: set[str] = set()
    for previous, record in zip(records, records[1:], strict=False):
        if record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            diffs[record.history_id] = [c.field for c in delta.changes if c.field not in {"modified", "created"}]
            for name in diffs[record.history_id]:
                try:
                    if isinstance(model._meta.get_field(name), models.ForeignKey):
                        fk_names.add(name)
                except FieldDoesNotExist:
                    pass
    fk_labels = _fk_labels(model, records, fk_names)
    entries, previous = [], None
    for record in records:
        entry = AuditEntry(record.history_date, _who(record), record.history_type, snapshot=_label(record))
        for name in diffs.get(record.history_id, []):
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # many-to-many fields recorded by simple-history
                label = name
            entry.changes.append(FieldChange(name, label, _value(model, previous, name, fk_labels),
                                             _value(model, record, name, fk_labels)))  # fmt: skip
        entries.append(entry)
        previous = record
    return entries


@dataclass
class LogRow:
    kind: str
    object_id: int
    when: datetime
    who: str
    action: str
    label: str


def _object_id(record):
    """The id of the object a history record is about (not every model's key is ``id``)."""
    return getattr(record, record.instance_type._meta.pk.attname)


def recent_changes(municipality_id: int, limit: int = 50) -> list[LogRow]:
    """The latest changes of all audited models in one municipality (one query per model,
    plus one for the users named in role changes)."""
    fetched: list[tuple[str, object]] = []
    for kind, registration in _REGISTRY.items():
        history = registration.model.history.select_related("history_user")
        if registration.model._meta.model_name == "municipality":
            history = history.filter(id=municipality_id)
        else:
            history = history.filter(municipality_id=municipality_id)
        fetched.extend((kind, record) for record in history.order_by("-history_date")[:limit])
    fetched.sort(key=lambda row: row[1].history_date, reverse=True)
    fetched = fetched[:limit]
    users = _users_of([record for kind, record in fetched if kind == "membership"])
    rows = []
    for kind, record in fetched:
        if kind == "membership":
            label = f"{users.get(record.user_id, f'#{record.user_id}')} – {record.get_role_display()}"
        else:
            label = _label(record)
        rows.append(LogRow(kind, _object_id(record), record.history_date, _who(record), record.history_type, label))
    return rows


def _users_of(records) -> dict[int, str]:
    from .models import User

    ids = {r.user_id for r in records}
    return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)} if ids else {}


def history_records(model: type[Model], pk: int) -> QuerySet:
    return model.history.filter(id=pk).select_related("history_user")

