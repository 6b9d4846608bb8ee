"""Reading single values of an OParl object leniently (pure, no ORM).

Real servers send ``"N/A"`` or ``""`` instead of leaving a field out, numbers as strings,
a single string where a list belongs, and objects where a URL belongs (embedded instead of
referenced). Each reader returns the usable value or None and records what it had to
repair in a list of ``Note`` that the importer turns into log entries."""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDERS = frozenset({"", "n/a", "na", "null", "none", "-", "--", "k.a.", "unbekannt"})


@dataclass(frozen=True)
class Note:
    """One repair of one field: ``kind`` is a ProblemKind value."""

    kind: str
    field: str
    detail: str = ""


def text(obj: dict, field: str, notes: list[Note], max_length: int | None = None) -> str | None:
    """A string field; placeholders count as absent; numbers are accepted as text."""
    value = obj.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        notes.append(Note("wrong_type", field, type(value).__name__))
        return None
    value = str(value).strip()
    if value.lower() in PLACEHOLDERS:
        return None
    if max_length and len(value) > max_length:
        notes.append(Note("truncated", field, str(len(value))))
        value = value[: max_length - 1] + "…"
    return value


def boolean(obj: dict, field: str, notes: list[Note]) -> bool | None:
    value = obj.get(field)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "ja", "yes"}:
        notes.append(Note("wrong_type", field, "str"))
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "0", "nein", "no"}:
        notes.append(Note("wrong_type", field, "str"))
        return False
    if isinstance(value, int):
        notes.append(Note("wrong_type", field, "int"))
        return bool(value)
    notes.append(Note("wrong_type", field, type(value).__name__))
    return None


def integer(obj: dict, field: str, notes: list[Note]) -> int | None:
    value = obj.get(field)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        notes.append(Note("wrong_type", field, "str"))
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not (isinstance(value, str) and value.strip().lower() in PLACEHOLDERS):
        notes.append(Note("wrong_type", field, type(value).__name__))
    return None


def reference(value: object) -> str | None:
    """The URL of a referenced object, or of an embedded object's ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def references(obj: dict, field: str, notes: list[Note]) -> list[str]:
    """A list of URLs; a single URL or an embedded object is taken as a list of one."""
    value = obj.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        notes.append(Note("wrong_type", field, type(value).__name__))
        value = [value]
    urls = [reference(v) for v in value]
    if any(u is None for u in urls):
        notes.append(Note("wrong_type", field, "item"))
    return [u for u in urls if u]


def embedded(obj: dict, field: str, notes: list[Note]) -> list[dict]:
    """The objects of a field that should embed objects; URLs stay as ``{"id": url}`` stubs so
    that the importer can fetch them, anything else is noted and dropped."""
    value = obj.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    result = []
    for item in value:
        if isinstance(item, dict):
            result.append(item)
        elif reference(item):
            result.append({"id": reference(item)})
        else:
            notes.append(Note("wrong_type", field, type(item).__name__))
    return result


def type_name(obj: dict) -> str | None:
    """``Paper`` from ``https://schema.oparl.org/1.1/Paper`` (any OParl version)."""
    value = obj.get("type")
    if not isinstance(value, str) or "/" not in value:
        return None
    return value.rstrip("/").rsplit("/", 1)[-1] or None
