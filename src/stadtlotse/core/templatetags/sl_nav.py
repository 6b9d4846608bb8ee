"""Navigation items for the header: the public portal's parts, or the workspace's."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..navigation import PARTS, portal_parts

register = template.Library()


@register.simple_tag
def nav_items(request) -> list[dict]:
    municipality = request.municipality
    slug = municipality.slug
    user = request.user
    in_workspace = "/intern/" in request.path and user.has_perm("core.view_workspace", municipality)
    items = []
    if in_workspace:
        items.append({"label": _("Overview"), "url": reverse("core:workspace", kwargs={"slug": slug})})
        items += [{"label": p.label, "url": p.url(slug, internal=True)} for p in PARTS]
        items.append({"label": _("Departments"), "url": reverse("core:department-list", kwargs={"slug": slug})})
        items.append({"label": _("Announcements"), "url": reverse("core:announcement-list", kwargs={"slug": slug})})
        if user.has_perm("core.manage_memberships", municipality):
            items.append({"label": _("Roles"), "url": reverse("core:membership-list", kwargs={"slug": slug})})
            items.append({"label": _("Settings"), "url": reverse("core:settings", kwargs={"slug": slug})})
        items.append({"label": _("Public portal"), "url": reverse("core:portal", kwargs={"slug": slug})})
    else:
        items.append({"label": _("Home"), "url": reverse("core:portal", kwargs={"slug": slug})})
        items += [{"label": p.label, "url": p.url(slug, internal=False)} for p in portal_parts()]
        if user.has_perm("core.view_workspace", municipality):
            items.append({"label": _("Workspace"), "url": reverse("core:workspace", kwargs={"slug": slug})})
    for item in items:
        item["current"] = item["url"] == request.path
    return items


@register.simple_tag(takes_context=True)
def has_perm(context, perm: str, obj) -> bool:
    """``{% has_perm "app.perm" obj as allowed %}``: the permission layer, in a template."""
    return context["request"].user.has_perm(perm, obj)
