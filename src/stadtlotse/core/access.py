"""The access funnel: every read of municipal data goes through these functions.

- ``roles_of(user, municipality)`` is the single source of a user's roles; it loads all of
  the user's memberships with one query and keeps them on the user object for the request.
- ``visible(queryset, user, municipality)`` narrows any queryset of a model with a
  ``municipality`` and ``visibility`` to what the user may read.
- ``get_visible_or_404`` and ``get_municipality_or_404`` never reveal whether an object
  exists: absent, other-municipality and invisible objects all raise the same ``Http404``.

Operators (superusers) act as administrators in every municipality they host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Municipality, Role, Visibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

M = TypeVar("M", bound=Model)

# Roles that work inside the administration or the council and so read internal planning.
INTERNAL_ROLES = frozenset(
    {Role.ADMIN, Role.EDITOR, Role.FINANCE, Role.COUNCIL, Role.COMMITTEE, Role.PILOT, Role.READER}
)
# Roles that also read confidential (non-public) council matters: the administration that
# prepares them and the members of the council and its committees.
CONFIDENTIAL_ROLES = frozenset({Role.ADMIN, Role.EDITOR, Role.FINANCE, Role.COUNCIL, Role.COMMITTEE})

_CACHE_ATTR = "_stadtlotse_roles"


def _role_map(user: User | AnonymousUser) -> dict[int, frozenset[str]]:
    """Municipality id → roles, loaded once per user object (one query)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    result: dict[int, set[str]] = {}
    if user.is_authenticated:
        for municipality_id, role in user.memberships.values_list("municipality_id", "role"):
            result.setdefault(municipality_id, set()).add(role)
    frozen = {key: frozenset(value) for key, value in result.items()}
    if user.is_authenticated:
        setattr(user, _CACHE_ATTR, frozen)
    return frozen


def forget_roles(user: User) -> None:
    """Drop the cached roles after memberships changed within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: User | AnonymousUser, municipality: Municipality | int) -> frozenset[str]:
    """The roles a user holds in a municipality; operators hold the administrator role."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset({Role.ADMIN})
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    return _role_map(user).get(municipality_id, frozenset())


def municipality_ids_of(user: User | AnonymousUser) -> set[int]:
    """Ids of the municipalities in which the user holds any role."""
    if not user.is_authenticated:
        return set()
    return set(_role_map(user))


def is_internal(user: User | AnonymousUser, municipality: Municipality | int) -> bool:
    """Whether the user works inside this municipality (reads internal planning)."""
    return bool(roles_of(user, municipality) & INTERNAL_ROLES)


def visibility_levels(user: User | AnonymousUser, municipality: Municipality | int) -> list[str]:
    """The visibility values the user may read in this municipality."""
    roles = roles_of(user, municipality)
    levels = [Visibility.PUBLIC.value]
    if roles & INTERNAL_ROLES:
        levels.append(Visibility.INTERNAL.value)
    if roles & CONFIDENTIAL_ROLES:
        levels.append(Visibility.CONFIDENTIAL.value)
    return levels


def can_read(user: User | AnonymousUser, obj: Model) -> bool:
    """Whether the user may read one object that has a municipality and a visibility."""
    return obj.visibility in visibility_levels(user, obj.municipality_id)


def visible(queryset: QuerySet[M], user, municipality: Municipality) -> QuerySet[M]:
    """Narrow a queryset to one municipality and to what the user may read there."""
    return queryset.filter(
        municipality=municipality, visibility__in=visibility_levels(user, municipality)
    )


def in_municipality(queryset: QuerySet[M], municipality: Municipality) -> QuerySet[M]:
    """Narrow a queryset of objects without visibility (e.g. departments) to one tenant."""
    return queryset.filter(municipality=municipality)


def get_visible_or_404(queryset: QuerySet[M], user, municipality: Municipality, **lookup) -> M:
    """One object the user may read, or the same 404 for absent, foreign and hidden ones."""
    try:
        return visible(queryset, user, municipality).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_in_municipality_or_404(queryset: QuerySet[M], municipality: Municipality, **lookup) -> M:
    """One object of this municipality, or 404 (for models without visibility)."""
    try:
        return in_municipality(queryset, municipality).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_municipality_or_404(slug: str) -> Municipality:
    """The municipality for a URL slug, or 404."""
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404 from None
