"""The parts of the product, as the navigation shows them.

Each part names the URL names of its public start page and of its workspace start page.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Part:
    key: str
    path: str  # German URL segment
    label: str
    description: str
    public: bool  # shown in the public portal
    url_name: str = ""  # the app's public start page, once it exists
    internal_url_name: str = ""  # the app's workspace start page, once it exists

    def url(self, slug: str, internal: bool) -> str:
        name = self.internal_url_name if internal or not self.public else self.url_name
        return reverse(name, kwargs={"slug": slug})


PARTS: tuple[Part, ...] = (
    Part("strategy", "strategie", _("Strategy"),
         _("The digital strategy, its fields of action, goals and indicators."), True,
         "strategy:list", "strategy:manage-list"),
    Part("portfolio", "projekte", _("Projects"),
         _("The project portfolio with milestones, status and priorities."), True,
         "portfolio:public-list", "portfolio:list"),
    Part("finance", "finanzen", _("Finance"),
         _("Life-cycle costs, grants, the multi-year plan and the funding cliff."), False,
         "", "finance:plan"),
    Part("governance", "gremien", _("Bodies"),
         _("Departments, committees, working groups and digital pilots."), True,
         "governance:public-index", "governance:index"),
    Part("council", "rat", _("Council"),
         _("Papers, consultations, meetings and mandates."), True,
         "council:public-index", "council:index"),
    Part("participation", "beteiligung", _("Participation"),
         _("Comments on drafts, ideas and the administration's answers."), True,
         "participation:public-index", "participation:index"),
    Part("schools", "schulen", _("Schools"),
         _("School IT, media concepts and the media development plan."), True,
         "schools:public-index", "schools:index"),
    Part("onlineservices", "onlinedienste", _("Online services"),
         _("Administrative services online, maturity levels and usage."), True,
         "onlineservices:public-index", "onlineservices:index"),
    Part("reporting", "berichte", _("Reports"),
         _("Status reports, dashboards and open data."), True,
         "reporting:public-index", "reporting:index"),
)  # fmt: skip

PARTS_BY_PATH = {part.path: part for part in PARTS}


def portal_parts() -> list[Part]:
    return [part for part in PARTS if part.public]
