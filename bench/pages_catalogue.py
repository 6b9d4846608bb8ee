"""The pages and endpoints that ``bench_pages`` measures, and how it finds their objects.

Every page is a URL template and the users it is measured for. The objects a URL names (the
project, the phase with most comments, the first public paper …) are looked up in the database
(``find_targets``), never taken from the generator's return value, so the benchmark works on a
database file generated earlier and on whatever parts the generator has loaded so far: a page
whose object is missing (``None``) is skipped with the mark "no data: <target>".

Users: ``admin`` (the municipality's administrator), ``anonymous`` (no session) and ``citizen``
(the citizen role, for the participation pages and the portal).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass

ADMIN, ANONYMOUS, CITIZEN = "admin", "anonymous", "citizen"
USERS = (ADMIN, ANONYMOUS, CITIZEN)
BOTH = (ADMIN, ANONYMOUS)
SEARCH_TERM = "Digitalisierung"


@dataclass(frozen=True)
class Page:
    key: str
    area: str
    label: str
    url: str  # str.format fields: slug and the targets below
    users: tuple[str, ...]
    needs: tuple[str, ...] = ()  # targets that must exist although the URL does not name them

    def fields(self) -> set[str]:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(self.url) if name}

    def required(self) -> tuple[str, ...]:
        return tuple(sorted((self.fields() - {"slug"}) | set(self.needs)))


FLOOR_KEYS = ("floor-view", "floor-api")

# fmt: off
PAGES = [
    # Portal, workspace, cockpit
    Page("home", "core", "start page (all municipalities)", "/", (ANONYMOUS,)),
    Page("portal", "core", "public portal", "/{slug}/", USERS),
    Page("workspace", "core", "internal workspace", "/{slug}/intern/", (ADMIN,)),
    Page("cockpit", "reporting", "internal cockpit", "/{slug}/intern/berichte/", (ADMIN,)),
    # Portfolio (the same pages as bench_portfolio)
    Page("portfolio-internal", "portfolio", "portfolio list (internal)", "/{slug}/intern/projekte/", (ADMIN,)),
    Page("portfolio-public", "portfolio", "portfolio list (public)", "/{slug}/projekte/", BOTH),
    Page("project", "portfolio", "project page (public)", "/{slug}/projekte/{project}/", BOTH),
    Page("project-manage", "portfolio", "project page (workspace)", "/{slug}/intern/projekte/{project}/", (ADMIN,)),
    Page("ranking-internal", "portfolio", "ranking (internal)", "/{slug}/intern/projekte/prioritaeten/", (ADMIN,)),
    Page("ranking-public", "portfolio", "ranking (public)", "/{slug}/projekte/prioritaeten/", (ANONYMOUS,)),
    Page("roadmap", "portfolio", "roadmap", "/{slug}/projekte/fahrplan/", BOTH),
    # Finance, strategy
    Page("finance-plan", "finance", "financial plan", "/{slug}/intern/finanzen/", (ADMIN,), ("finance",)),
    Page("strategy-list", "strategy", "strategies", "/{slug}/strategie/", BOTH, ("strategy",)),
    Page("strategy", "strategy", "strategy page", "/{slug}/strategie/{strategy}/", BOTH),
    # Participation
    Page("participation", "participation", "participation start page", "/{slug}/beteiligung/",
         (ANONYMOUS, CITIZEN), ("phase",)),
    Page("phase", "participation", "comment list (largest phase)", "/{slug}/beteiligung/phase/{phase}/", USERS),
    Page("phase-section", "participation", "comments of one section",
         "/{slug}/beteiligung/phase/{phase}/?abschnitt={section}", (ANONYMOUS, CITIZEN)),
    Page("ideas", "participation", "ideas", "/{slug}/beteiligung/ideen/", (ANONYMOUS, CITIZEN), ("phase",)),
    Page("participation-internal", "participation", "participation (internal)", "/{slug}/intern/beteiligung/",
         (ADMIN,), ("phase",)),
    Page("weighing", "participation", "weighing table (largest phase)",
         "/{slug}/intern/beteiligung/phase/{phase}/abwaegung/", (ADMIN,)),
    # Schools
    Page("schools-public", "schools", "schools overview (public)", "/{slug}/schulen/", BOTH, ("school",)),
    Page("schools-internal", "schools", "schools overview (internal)", "/{slug}/intern/schulen/", (ADMIN,),
         ("school",)),
    Page("school", "schools", "one school", "/{slug}/intern/schulen/{school}/", (ADMIN,)),
    Page("school-plan", "schools", "media development plan", "/{slug}/intern/schulen/plaene/{school_plan}/",
         (ADMIN,)),
    Page("school-equity", "schools", "equity index (public plan)",
         "/{slug}/schulen/gleichwertigkeit/{public_school_plan}/", (ANONYMOUS,)),
    # Council
    Page("council", "council", "council start page", "/{slug}/rat/", (ANONYMOUS,), ("paper",)),
    Page("papers-public", "council", "council papers (public)", "/{slug}/rat/vorlagen/", BOTH, ("paper",)),
    Page("papers-internal", "council", "council papers (internal)", "/{slug}/intern/rat/vorlagen/", (ADMIN,),
         ("paper",)),
    Page("paper-public", "council", "one paper (public)", "/{slug}/rat/vorlagen/{paper}/", BOTH),
    Page("paper-internal", "council", "one paper (internal)", "/{slug}/intern/rat/vorlagen/{paper}/", (ADMIN,)),
    Page("meetings-public", "council", "meetings (public)", "/{slug}/rat/sitzungen/", BOTH, ("meeting",)),
    Page("meetings-internal", "council", "meetings (internal)", "/{slug}/intern/rat/sitzungen/", (ADMIN,),
         ("meeting",)),
    Page("meeting", "council", "one meeting (public)", "/{slug}/rat/sitzungen/{meeting}/", (ANONYMOUS,)),
    Page("mandates", "council", "mandates (internal)", "/{slug}/intern/rat/auftraege/", (ADMIN,), ("mandate",)),
    # Governance
    Page("bodies-public", "governance", "bodies (public)", "/{slug}/gremien/", BOTH, ("body",)),
    Page("body", "governance", "one body (public)", "/{slug}/gremien/{body}/", (ANONYMOUS,)),
    Page("bodies-internal", "governance", "bodies (internal)", "/{slug}/intern/gremien/", (ADMIN,), ("body",)),
    # Online services
    Page("services-public", "onlineservices", "online services (public)", "/{slug}/onlinedienste/", BOTH,
         ("service",)),
    Page("services-internal", "onlineservices", "online services (internal list)", "/{slug}/intern/onlinedienste/",
         (ADMIN,), ("service",)),
    Page("services-overview", "onlineservices", "online services overview", "/{slug}/intern/onlinedienste/uebersicht/",
         (ADMIN,), ("service",)),
    # Reporting, open data, search
    Page("reports-public", "reporting", "reports and transparency", "/{slug}/berichte/", BOTH),
    Page("report", "reporting", "published status report", "/{slug}/berichte/{report}/", BOTH),
    Page("opendata", "reporting", "open data catalogue", "/{slug}/berichte/daten/", (ANONYMOUS,)),
    Page("opendata-projects", "reporting", "open data: projects.csv", "/{slug}/berichte/daten/projects.csv",
         (ANONYMOUS,), ("project",)),
    Page("search", "reporting", f"search '{SEARCH_TERM}'", "/{slug}/berichte/suche/?q=" + SEARCH_TERM, BOTH),
    # OParl (public data only)
    Page("oparl-system", "oparl", "OParl system", "/oparl/v1/", (ANONYMOUS,)),
    Page("oparl-bodies", "oparl", "OParl body list", "/oparl/v1/bodies/", (ANONYMOUS,)),
    Page("oparl-body", "oparl", "OParl body", "/oparl/v1/{slug}/", (ANONYMOUS,)),
    Page("oparl-papers", "oparl", "OParl paper list", "/oparl/v1/{slug}/papers/", (ANONYMOUS,), ("paper",)),
    Page("oparl-meetings", "oparl", "OParl meeting list", "/oparl/v1/{slug}/meetings/", (ANONYMOUS,), ("meeting",)),
    Page("oparl-organizations", "oparl", "OParl organization list", "/oparl/v1/{slug}/organizations/",
         (ANONYMOUS,), ("body",)),
    Page("oparl-people", "oparl", "OParl person list", "/oparl/v1/{slug}/people/", (ANONYMOUS,), ("body",)),
    # REST API lists
    Page("api-projects", "api", "API projects?limit=100", "/api/v1/{slug}/projects?limit=100", BOTH),
    Page("api-ranking", "api", "API ranking", "/api/v1/{slug}/ranking", BOTH),
    Page("api-strategies", "api", "API strategies", "/api/v1/{slug}/strategies", BOTH, ("strategy",)),
    Page("api-finance-plan", "api", "API finance/plan", "/api/v1/{slug}/finance/plan", (ADMIN,), ("finance",)),
    Page("api-papers", "api", "API council/papers", "/api/v1/{slug}/council/papers", BOTH, ("paper",)),
    Page("api-meetings", "api", "API council/meetings", "/api/v1/{slug}/council/meetings", BOTH, ("meeting",)),
    Page("api-phases", "api", "API participation/phases", "/api/v1/{slug}/participation/phases", BOTH, ("phase",)),
    Page("api-comments", "api", "API comments (largest phase)",
         "/api/v1/{slug}/participation/phases/{phase}/comments", (ANONYMOUS, CITIZEN)),
    Page("api-schools", "api", "API schools", "/api/v1/{slug}/schools", BOTH, ("school",)),
    Page("api-services", "api", "API services", "/api/v1/{slug}/services", BOTH, ("service",)),
    Page("api-bodies", "api", "API bodies", "/api/v1/{slug}/bodies", BOTH, ("body",)),
    Page("api-reports", "api", "API reports", "/api/v1/{slug}/reports", BOTH),
    Page("api-opendata", "api", "API open-data", "/api/v1/{slug}/open-data", (ANONYMOUS,)),
    Page("api-search", "api", f"API search '{SEARCH_TERM}'", "/api/v1/{slug}/search?q=" + SEARCH_TERM, BOTH),
    # Floors: what every request costs before the page itself
    Page("floor-view", "floor", "floor: HttpResponse view", "/__bench__/floor/", USERS),
    Page("floor-api", "floor", "floor: API municipalities", "/api/v1/municipalities", BOTH),
]
# fmt: on
PAGE_KEYS = [p.key for p in PAGES]


# Finding the measured objects ------------------------------------------------------------------


def pick_municipality():
    """The municipality with the most projects (at operator size the largest of them); ties: lowest id."""
    from stadtlotse.core.models import Municipality
    from stadtlotse.portfolio.models import Project

    largest = _top(Project.objects.all(), "municipality")
    if largest is None:
        return Municipality.objects.order_by("pk").first()
    return Municipality.objects.get(pk=largest)


def _top(queryset, group: str):
    """The value of ``group`` that occurs most often in ``queryset`` (ties: the lowest); None if empty."""
    from django.db.models import Count

    row = queryset.values(group).annotate(n=Count("pk")).order_by("-n", group).first()
    return row[group] if row else None


def _first(queryset):
    return queryset.values_list("pk", flat=True).order_by("pk").first()


def _project(m):
    """A public project, preferably one with foundations, dependents and goals (a full page)."""
    from django.db.models import Count

    from stadtlotse.portfolio.models import Project

    qs = Project.objects.filter(municipality=m, visibility="public").annotate(
        links=Count("goal_links", distinct=True) + Count("foundations", distinct=True)
        + Count("enables", distinct=True)
    )  # fmt: skip
    return qs.order_by("-links", "pk").values_list("pk", flat=True).first()


def _strategy(m):
    from stadtlotse.strategy.models import Strategy, StrategyVersion

    public = StrategyVersion.objects.filter(strategy__municipality=m, status="adopted").values("strategy")
    return _first(Strategy.objects.filter(municipality=m, pk__in=public)) or _first(
        Strategy.objects.filter(municipality=m)
    )


def _phase(m):
    from stadtlotse.participation.models import Contribution, Phase

    top = _top(Contribution.objects.filter(municipality=m, phase__isnull=False, kind="comment"), "phase")
    return top or _first(Phase.objects.filter(municipality=m))


def _section(m, phase):
    from stadtlotse.participation.models import Contribution

    if phase is None:
        return None
    return _top(Contribution.objects.filter(phase_id=phase, section__isnull=False), "section")


def _finance(m):
    from stadtlotse.finance.models import CostItem

    return _first(CostItem.objects.filter(municipality=m))


def _school(m):
    from stadtlotse.schools.models import InventorySnapshot, School

    return _top(InventorySnapshot.objects.filter(municipality=m), "school") or _first(
        School.objects.filter(municipality=m)
    )


def _school_plan(m, public: bool):
    from stadtlotse.schools.models import MediaDevelopmentPlan

    qs = MediaDevelopmentPlan.objects.filter(municipality=m)
    return _first(qs.filter(visibility="public") if public else qs)


def _paper(m):
    """The paper a visitor may read with the longest consultation sequence (ties: the lowest id).
    A public paper consulted only in closed session is not readable publicly, so the council's
    own rule chooses."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from stadtlotse.council.selectors import papers_visible_to

    qs = papers_visible_to(AnonymousUser(), m).annotate(n=Count("steps"))
    return qs.order_by("-n", "pk").values_list("pk", flat=True).first()


def _meeting(m):
    from stadtlotse.council.models import AgendaItem, Meeting

    return _top(AgendaItem.objects.filter(municipality=m, public=True), "meeting") or _first(
        Meeting.objects.filter(municipality=m)
    )


def _mandate(m):
    from stadtlotse.council.models import Mandate

    return _first(Mandate.objects.filter(municipality=m))


def _body(m):
    from stadtlotse.governance.models import Body, BodyMembership

    public = Body.objects.filter(municipality=m, visibility="public")
    return _top(BodyMembership.objects.filter(body__in=public), "body") or _first(public)


def _service(m):
    from stadtlotse.onlineservices.models import Service

    return _first(Service.objects.filter(municipality=m))


def _report(m):
    from stadtlotse.reporting.models import PeriodReport

    qs = PeriodReport.objects.filter(municipality=m, status="published")
    return qs.order_by("-published_at", "-pk").values_list("pk", flat=True).first()


def find_targets(municipality) -> dict[str, object]:
    """Every object a page needs, by target name; None where the data has none."""
    m = municipality
    targets: dict[str, object] = {"slug": m.slug}
    finders: dict[str, Callable] = {
        "project": _project, "strategy": _strategy, "finance": _finance, "phase": _phase, "school": _school,
        "school_plan": lambda m: _school_plan(m, False), "public_school_plan": lambda m: _school_plan(m, True),
        "paper": _paper, "meeting": _meeting, "mandate": _mandate, "body": _body, "service": _service,
        "report": _report,
    }  # fmt: skip
    for name, finder in finders.items():
        targets[name] = finder(m)
    targets["section"] = _section(m, targets["phase"])
    return targets


def missing(page: Page, targets: dict[str, object]) -> list[str]:
    return [name for name in page.required() if targets.get(name) is None]


# The users -----------------------------------------------------------------------------------


def find_users(municipality) -> dict[str, object]:
    """The administrator and a citizen of the municipality (the earliest holder of each role).

    If the data has none, one is created: the benchmark works on its own copy of the database.
    """
    from stadtlotse.core import services
    from stadtlotse.core.models import Membership, Role, User

    users: dict[str, object] = {ANONYMOUS: None}
    for key, role in ((ADMIN, Role.ADMIN), (CITIZEN, Role.CITIZEN)):
        membership = Membership.objects.filter(municipality=municipality, role=role).order_by("pk").first()
        if membership is not None:
            users[key] = membership.user
            continue
        user, _created = User.objects.get_or_create(username=f"bench-pages-{key}-{municipality.pk}")
        services.grant_role(municipality=municipality, user=user, role=role, by=None)
        users[key] = user
    return users
