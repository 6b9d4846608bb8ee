"""Reads of the core app that respect tenant, visibility and role."""

from __future__ import annotations

from django.db.models import QuerySet

from . import access, audit
from .models import Department, Membership, Municipality, Role


def departments_of(municipality: Municipality) -> QuerySet[Department]:
    """The organisation chart of a municipality (public information), parents joined."""
    return Department.objects.filter(municipality=municipality).select_related("parent")


def memberships_of(municipality: Municipality) -> QuerySet[Membership]:
    """All roles granted in a municipality, for its administrators."""
    return (
        Membership.objects.filter(municipality=municipality)
        .select_related("user")
        .prefetch_related("departments")
    )


def role_labels(roles) -> list[str]:
    """Translated names of a set of roles, in the order of the Role choices."""
    return [str(label) for value, label in Role.choices if value in roles]


def audit_entries_for(user, municipality: Municipality, model, pk) -> list[audit.AuditEntry]:
    """The history of one audited object, or [] where the user may not read it.

    Only records of this municipality are read, so another municipality's object has no
    history here. Where the object has a visibility, the user must be
    allowed to read every visibility it ever had, so that an object once confidential does
    not show its old text to a reader who only sees internal matters.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return []
    history = model.history.filter(id=pk)
    field_names = {f.name for f in model.history.model._meta.fields}
    if "municipality" in field_names:
        history = history.filter(municipality_id=municipality.pk)
    elif model is Municipality and pk != municipality.pk:
        return []
    records = list(history.select_related("history_user"))
    levels = set(access.visibility_levels(user, municipality))
    if "visibility" in field_names and {r.visibility for r in records} - levels:
        return []
    if not _parents_readable(model, records, levels):
        return []
    return audit.entries_for(model, records)


def _parents_readable(model, records, levels: set[str]) -> bool:
    """Whether every object with a visibility that the records ever pointed to (a milestone's or a
    grant's project, both ends of a dependency) was only ever at a visibility the reader may see:
    the history of a confidential project's milestone is as confidential as the project."""
    for field in model._meta.concrete_fields:
        target = getattr(field, "related_model", None)
        if not field.many_to_one or target is None or not hasattr(target, "history"):
            continue
        if "visibility" not in {f.name for f in target.history.model._meta.fields}:
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        if not ids:
            continue
        seen = set(target.history.filter(id__in=ids).values_list("visibility", flat=True).distinct())
        if seen - levels:
            return False
    return True
