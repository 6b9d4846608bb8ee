"""Personas shared by every test: two municipalities, each with one user per role.

Plain names mean Plauen (``admin``, ``staff``, ``citizen`` …); ``celle_`` names the same
people in Celle. ``anonymous`` is a client without login. ``client_of(user)`` gives a
logged-in test client. ``planted`` holds one announcement per visibility per town, whose
titles carry markers that must never appear where the reader may not see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from stadtlotse.core import services
from stadtlotse.core.models import Municipality, Role, User, Visibility

ROLES = {
    "admin": Role.ADMIN,
    "staff": Role.EDITOR,
    "finance": Role.FINANCE,
    "council": Role.COUNCIL,
    "committee": Role.COMMITTEE,
    "pilot": Role.PILOT,
    "reader": Role.READER,
    "citizen": Role.CITIZEN,
}


def make_municipality(slug: str, name: str, ags: str, state: str) -> Municipality:
    return services.create_municipality(by=None, slug=slug, name=name, ags=ags, state=state, population=60000)


def make_user(username: str, municipality: Municipality | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if municipality and role:
        services.grant_role(municipality=municipality, user=user, role=role, by=None)
    return user


@pytest.fixture
def plauen(db) -> Municipality:
    return make_municipality("plauen", "Plauen", "14523319", "SN")


@pytest.fixture
def celle(db) -> Municipality:
    return make_municipality("celle", "Celle", "03351006", "NI")


def _persona(key: str, town: str):
    @pytest.fixture
    def fixture(request) -> User:
        municipality = request.getfixturevalue(town)
        prefix = "" if town == "plauen" else "celle_"
        return make_user(f"{prefix}{key}", municipality, ROLES[key])

    fixture.__name__ = ("" if town == "plauen" else "celle_") + key
    return fixture


for _key in ROLES:
    globals()[_key] = _persona(_key, "plauen")
    globals()["celle_" + _key] = _persona(_key, "celle")


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but without any role anywhere."""
    return make_user("outsider")


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def client_of():
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@dataclass
class Planted:
    """Announcements of every visibility in both towns; ``[town][visibility]``."""

    objects: dict

    def __getitem__(self, key):
        return self.objects[key]


def marker(town: str, visibility: str) -> str:
    return f"MARKER-{town}-{visibility}".upper()


@pytest.fixture
def planted(plauen, celle) -> Planted:
    objects = {}
    for town in (plauen, celle):
        objects[town.slug] = {}
        for visibility in Visibility.values:
            objects[town.slug][visibility] = services.create_announcement(
                municipality=town, by=None, title=marker(town.slug, visibility),
                body=f"Text {marker(town.slug, visibility)}", visibility=visibility,
                published_on=date(2024, 1, 1),
            )  # fmt: skip
    return Planted(objects)
