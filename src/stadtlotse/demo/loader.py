"""The demo: the four municipalities of the founding documents, built through the services.

Figures such as population are rounded public figures; people are invented demo accounts,
not the officials named in the documents. Each later part adds its own ``load_*`` step to
``STEPS`` and so its share of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from stadtlotse.core import services
from stadtlotse.core.models import Department, Municipality, Role, User, Visibility

DEMO_PASSWORD = "demo"

CITIES = [
    {
        "slug": "plauen", "name": "Plauen", "state": "SN", "ags": "14523319", "population": 64000,
        "website": "https://www.plauen.de", "discount_rate_percent": Decimal("2.50"),
        "departments": [
            ("10", "Hauptverwaltung"), ("10.1", "Koordinator Digitalisierung"), ("10.2", "Fachgebiet IT"),
            ("10.3", "Sitzungsdienst"), ("20", "Kämmerei"), ("40", "Schulreferat"), ("50", "Bürgerbüro"),
        ],
    },
    {
        "slug": "celle", "name": "Celle", "state": "NI", "ags": "03351006", "population": 69000,
        "website": "https://www.celle.de", "discount_rate_percent": Decimal("2.50"),
        "departments": [
            ("05", "Verwaltungsentwicklung"), ("20", "Finanzen"), ("32", "Bürgerbüro"),
            ("34", "Standesamt"), ("40", "Schule und Sport"), ("51", "Kinderbetreuung"),
        ],
    },
    {
        "slug": "iserlohn", "name": "Iserlohn", "state": "NW", "ags": "05962024", "population": 92000,
        "website": "https://www.iserlohn.de", "discount_rate_percent": Decimal("2.50"),
        "departments": [
            ("SD", "Stabsstelle Digitalisierung"), ("III", "Ressort III"), ("III.1", "Abteilung EDV"),
            ("20", "Kämmerei"), ("61", "Stadtplanung"),
        ],
    },
    {
        "slug": "sindelfingen", "name": "Sindelfingen", "state": "BW", "ags": "08115045", "population": 65000,
        "website": "https://www.sindelfingen.de", "discount_rate_percent": Decimal("2.50"),
        "departments": [
            ("10", "Hauptamt"), ("12", "Amt für Digitalisierung"), ("20", "Kämmereiamt"),
            ("32", "Bürgeramt"), ("40", "Amt für Schulen und Bildung"), ("61", "Amt für Stadtentwicklung"),
        ],
    },
]  # fmt: skip

# One demo account per role and city: (user name suffix, role, display name)
ROLE_ACCOUNTS = [
    ("admin", Role.ADMIN, "Büro Digitalisierung"),
    ("redaktion", Role.EDITOR, "Fachamt (Redaktion)"),
    ("finanzen", Role.FINANCE, "Kämmerei"),
    ("rat", Role.COUNCIL, "Ratsmitglied"),
    ("ausschuss", Role.COMMITTEE, "Sachkundige Einwohnerin"),
    ("lotse", Role.PILOT, "Digitallotsin"),
    ("lesen", Role.READER, "Interne Leserin"),
    ("buerger", Role.CITIZEN, "Bürgerin"),
]

ANNOUNCEMENTS = {
    "plauen": [
        ("Digitalagenda: Entwurf bis Ende 2021", Visibility.PUBLIC, date(2021, 10, 1),
         "Die Stadtverwaltung arbeitet an der „Digitalagenda“. Ein Entwurf soll bis Ende 2021 als "
         "Diskussionsgrundlage vorliegen. Teil davon ist die Strategie zur Weiterentwicklung der "
         "gesamten Verwaltungs-IT bis 2028."),
        ("Stellungnahme zu Reg.-Nr. 222-21: Vorschlag Arbeitsgruppe Schulen bis Mitte Dezember",
         Visibility.INTERNAL, date(2021, 9, 20),
         "Der Vorschlag zur Organisation der Arbeitsgruppe Schulen (Vertretung von Kreisschülerrat, "
         "Eltern, Lehrerschaft, Fördervereinen, Unternehmen, Koordinator Digitalisierung und je "
         "einer Person jeder Fraktion) ist bis Mitte Dezember vorzulegen."),
    ],
    "celle": [
        ("Urkunden online bestellen und bezahlen", Visibility.PUBLIC, date(2020, 11, 10),
         "Personenstandsurkunden können online bestellt und bezahlt werden; Kinderbetreuung, "
         "Sporthallen und Termine im Bürgerbüro sind online buchbar."),
        ("Verwaltungsausschuss 24.11.2020: nichtöffentliche Beratung AN/0211/20-1",
         Visibility.CONFIDENTIAL, date(2020, 11, 18),
         "Vorbereitung der nichtöffentlichen Beratung im Verwaltungsausschuss."),
    ],
    "iserlohn": [
        ("Förderzusage Smart Cities", Visibility.PUBLIC, date(2021, 3, 1),
         "Die Stadt Iserlohn hat den Zuschuss für das Förderprojekt „Smart Cities“ erhalten."),
        ("Prüfauftrag Stabsstelle Digitalisierung", Visibility.INTERNAL, date(2021, 2, 15),
         "Prüfung der Ansiedlung einer Stabsstelle Digitalisierung als eigene Abteilung und der "
         "Refinanzierung über Förderprogramme."),
    ],
    "sindelfingen": [
        ("Machen Sie mit: Struktur zur Umsetzung der Digitalstrategie", Visibility.PUBLIC, date(2020, 10, 15),
         "Schreiben Sie uns Ihre Anmerkungen und Ideen zum Entwurf. Der Ausschuss für "
         "Digitalisierung prüft regelmäßig den Umsetzungsstand und die Strategiekonformität."),
        ("Ausbildung weiterer Digitallotsinnen und -lotsen", Visibility.INTERNAL, date(2021, 1, 20),
         "Ziel: jedes Amt hat eine Digitallotsin oder einen Digitallotsen."),
    ],
}  # fmt: skip


@dataclass
class DemoLogin:
    username: str
    municipality: str
    role: str


def _user(username: str, display_name: str, *, superuser: bool = False) -> User:
    user = User(username=username, display_name=display_name, is_superuser=superuser, is_staff=superuser)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def load_core() -> list[DemoLogin]:
    """Municipalities, departments, one account per role per city, announcements."""
    logins: list[DemoLogin] = []
    _user("betrieb", "Betrieb (Operator)", superuser=True)
    logins.append(DemoLogin("betrieb", "*", "Operator"))
    for city in CITIES:
        fields = {k: v for k, v in city.items() if k not in {"slug", "departments"}}
        municipality = services.create_municipality(by=None, slug=city["slug"], is_demo=True, **fields)
        departments: dict[str, Department] = {}
        for code, name in city["departments"]:
            parent = departments.get(code.rsplit(".", 1)[0]) if "." in code else None
            departments[code] = services.create_department(
                municipality=municipality, by=None, code=code, name=name, parent=parent
            )
        for suffix, role, label in ROLE_ACCOUNTS:
            user = _user(f"{city['slug']}-{suffix}", f"{label} {city['name']}")
            services.grant_role(municipality=municipality, user=user, role=role, by=None)
            logins.append(DemoLogin(user.username, city["slug"], str(Role(role).label)))
        for title, visibility, day, body in ANNOUNCEMENTS[city["slug"]]:
            services.create_announcement(
                municipality=municipality, by=None, title=title, body=body, visibility=visibility, published_on=day
            )
    return logins


def load_strategy() -> None:
    from stadtlotse.strategy import demo

    demo.load()


def load_portfolio() -> None:
    from stadtlotse.portfolio import demo

    demo.load()


def load_finance() -> None:
    from stadtlotse.finance import demo

    demo.load()


def _load_part(app: str):
    def step() -> None:
        import importlib

        importlib.import_module(f"stadtlotse.{app}.demo").load()

    step.__name__ = f"load_{app}"
    return step


# Governance comes before council (papers name bodies), schools after finance (the media
# development plan produces projects and cost items), participation after strategy, reporting
# last (its reports are built from everything else).
STEPS = [load_core, load_strategy, load_portfolio, load_finance] + [
    _load_part(app) for app in ("governance", "council", "participation", "schools", "onlineservices", "reporting")
]


def load_demo() -> list[DemoLogin]:
    """Load the whole demo into an empty database, in one transaction."""
    if Municipality.objects.exists():
        raise RuntimeError("The database already holds municipalities; the demo loads only into an empty one.")
    with transaction.atomic():
        for step in STEPS:
            step()
    # every account of every part (e.g. the schools' own), as a second start lists them
    return existing_logins()


def existing_logins() -> list[DemoLogin]:
    """The demo accounts in a database the demo was loaded into earlier (for the second start)."""
    from stadtlotse.core.models import Membership, User

    logins = [DemoLogin(u, "*", "Operator") for u in User.objects.filter(username="betrieb", is_superuser=True)
              .values_list("username", flat=True)]  # fmt: skip
    memberships = Membership.objects.filter(municipality__is_demo=True).select_related("user", "municipality")
    for m in memberships.order_by("municipality__name", "pk"):
        logins.append(DemoLogin(m.user.username, m.municipality.slug, str(Role(m.role).label)))
    return logins
