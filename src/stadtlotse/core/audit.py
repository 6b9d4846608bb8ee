"""Reading the audit trail that django-simple-history records for planning data.

Apps register their audited models here under a short kind name; the generic history view
and the API use the registry so that every audited model gets a history page for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model

_REGISTRY: dict[str, type[Model]] = {}


def register(kind: str, model: type[Model]) -> None:
    """Make ``model`` (which has ``history = HistoricalRecords()``) viewable as ``kind``."""
    _REGISTRY[kind] = model


def model_for(kind: str) -> type[Model] | None:
    return _REGISTRY.get(kind)


def kind_of(obj: Model) -> str | None:
    for kind, model in _REGISTRY.items():
        if isinstance(obj, model):
            return kind
    return None


def registered() -> dict[str, type[Model]]:
    return dict(_REGISTRY)


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


def _display(record, name: str) -> str:
    value = getattr(record, name, None)
    if value is None or value == "":
        return "–"
    getter = getattr(record, f"get_{name}_display", None)
    if callable(getter):
        return str(getter())
    return str(value)


def entries_for(model: type[Model], pk: int) -> list[AuditEntry]:
    """The history of one object, oldest first, with field-level differences (one query)."""
    records = list(
        model.history.filter(id=pk).select_related("history_user").order_by("history_date", "history_id")
    )
    entries: list[AuditEntry] = []
    previous = None
    for record in records:
        entry = AuditEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "System",
            action=record.history_type,
            snapshot=str(record.instance) if record.history_type != "-" else "",
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in {"modified", "created"}:
                    continue
                try:
                    label = str(model._meta.get_field(change.field).verbose_name)
                except Exception:  # m2m fields recorded by simple-history
                    label = change.field
                entry.changes.append(
                    FieldChange(change.field, label, _display(previous, change.field), _display(record, change.field))
                )
        entries.append(entry)
        previous = record
    return entries


def recent_changes(municipality_id: int, limit: int = 50) -> list[tuple[str, object]]:
    """The latest changes of all audited models in one municipality (one query per model)."""
    rows: list[tuple[str, object]] = []
    for kind, model in _REGISTRY.items():
        history = model.history.select_related("history_user")
        if model._meta.model_name == "municipality":
            history = history.filter(id=municipality_id)
        else:
            history = history.filter(municipality_id=municipality_id)
        rows.extend((kind, record) for record in history.order_by("-history_date")[:limit])
    rows.sort(key=lambda row: row[1].history_date, reverse=True)
    return rows[:limit]
