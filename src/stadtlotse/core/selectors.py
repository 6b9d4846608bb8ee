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
    if "visibility" in field_names:
        levels = set(access.visibility_levels(user, municipality))
        if {r.visibility for r in records} - levels:
            return []
    return audit.entries_for(model, records)
