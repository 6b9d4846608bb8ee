"""Reads of the governance part that respect tenant, visibility and role."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from stadtlotse.core.models import Municipality

from .models import BodyMembership


def body_ids_of(user, municipality: Municipality | int, on: date | None = None) -> frozenset[int]:
    """Ids of the bodies in which the user's person holds a seat on ``on`` (default: today).

    The council part uses this to decide who reads a body's non-public matters: the members of
    that body (besides the administration). One query; cached on the user object per day.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    on = on or timezone.localdate()
    cache = user.__dict__.setdefault("_stadtlotse_body_ids", {})
    key = (municipality_id, on)
    if key not in cache:
        cache[key] = frozenset(
            BodyMembership.objects.filter(
                municipality_id=municipality_id, person__user=user, person__municipality_id=municipality_id
            )
            .filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
            .values_list("body_id", flat=True)
        )
    return cache[key]
