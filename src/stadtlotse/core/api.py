"""API resources of the core app: municipalities, the current user, departments, announcements."""

from __future__ import annotations

from datetime import date

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from stadtlotse.api.pagination import LimitOffsetPagination

from . import access, selectors, services
from .models import Announcement, Department, Municipality, Visibility

router = Router(tags=["core"])


class MunicipalityOut(Schema):
    slug: str
    name: str
    state: str
    ags: str
    population: int | None
    website: str


class RoleOut(Schema):
    municipality: str
    role: str


class MeOut(Schema):
    authenticated: bool
    username: str | None = None
    display_name: str | None = None
    roles: list[RoleOut] = []


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    description: str


class DepartmentIn(Schema):
    code: str = ""
    name: str = Field(..., min_length=1, max_length=200)
    parent_id: int | None = None
    description: str = ""


class DepartmentPatch(Schema):
    code: str | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    parent_id: int | None = None
    description: str | None = None


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    visibility: Visibility
    department_id: int | None
    published_on: date


class AnnouncementIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1)
    visibility: Visibility = Visibility.INTERNAL
    department_id: int | None = None
    published_on: date | None = None


class AnnouncementPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1)
    visibility: Visibility | None = None
    department_id: int | None = None
    published_on: date | None = None


@router.get("/municipalities", response=list[MunicipalityOut], summary="Municipalities of this installation")
@paginate(LimitOffsetPagination)
def list_municipalities(request):
    return Municipality.objects.all()


@router.get("/municipalities/{slug}", response=MunicipalityOut, summary="One municipality")
def get_municipality(request, slug: str):
    return access.get_municipality_or_404(slug)


@router.get("/me", response=MeOut, summary="The current user and their roles")
def me(request):
    user = request.auth
    if not user.is_authenticated:
        return MeOut(authenticated=False)
    roles = [
        RoleOut(municipality=m.municipality.slug, role=m.role)
        for m in user.memberships.select_related("municipality")
    ]
    return MeOut(authenticated=True, username=user.username, display_name=str(user), roles=roles)


def _department(municipality: Municipality, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    return access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=department_id)


@router.get("/{slug}/departments", response=list[DepartmentOut], summary="Departments of a municipality")
@paginate(LimitOffsetPagination)
def list_departments(request, slug: str):
    return selectors.departments_of(access.get_municipality_or_404(slug))


@router.post("/{slug}/departments", response={201: DepartmentOut}, summary="Add a department")
def create_department(request, slug: str, payload: DepartmentIn):
    municipality = access.get_municipality_or_404(slug)
    data = payload.dict()
    data["parent"] = _department(municipality, data.pop("parent_id"))
    return 201, services.create_department(municipality=municipality, by=request.auth, **data)


@router.patch("/{slug}/departments/{pk}", response=DepartmentOut, summary="Change a department")
def update_department(request, slug: str, pk: int, payload: DepartmentPatch):
    municipality = access.get_municipality_or_404(slug)
    department = access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk)
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data:
        data["parent"] = _department(municipality, data.pop("parent_id"))
    return services.update_department(department=department, by=request.auth, **data)


@router.delete("/{slug}/departments/{pk}", response={204: None}, summary="Delete a department")
def delete_department(request, slug: str, pk: int):
    municipality = access.get_municipality_or_404(slug)
    department = access.get_in_municipality_or_404(Department.objects.all(), municipality, pk=pk)
    services.delete_department(department=department, by=request.auth)
    return 204, None


@router.get("/{slug}/announcements", response=list[AnnouncementOut], summary="Announcements you may read")
@paginate(LimitOffsetPagination)
def list_announcements(request, slug: str):
    municipality = access.get_municipality_or_404(slug)
    return access.visible(Announcement.objects.all(), request.auth, municipality)


@router.get("/{slug}/announcements/{pk}", response=AnnouncementOut, summary="One announcement")
def get_announcement(request, slug: str, pk: int):
    municipality = access.get_municipality_or_404(slug)
    return access.get_visible_or_404(Announcement.objects.all(), request.auth, municipality, pk=pk)


@router.post("/{slug}/announcements", response={201: AnnouncementOut}, summary="Publish an announcement")
def create_announcement(request, slug: str, payload: AnnouncementIn):
    municipality = access.get_municipality_or_404(slug)
    data = payload.dict()
    data["department"] = _department(municipality, data.pop("department_id"))
    if data["published_on"] is None:
        data.pop("published_on")
    return 201, services.create_announcement(municipality=municipality, by=request.auth, **data)


@router.patch("/{slug}/announcements/{pk}", response=AnnouncementOut, summary="Change an announcement")
def update_announcement(request, slug: str, pk: int, payload: AnnouncementPatch):
    municipality = access.get_municipality_or_404(slug)
    announcement = access.get_visible_or_404(Announcement.objects.all(), request.auth, municipality, pk=pk)
    data = payload.dict(exclude_unset=True)
    if "department_id" in data:
        data["department"] = _department(municipality, data.pop("department_id"))
    return services.update_announcement(announcement=announcement, by=request.auth, **data)


@router.delete("/{slug}/announcements/{pk}", response={204: None}, summary="Delete an announcement")
def delete_announcement(request, slug: str, pk: int):
    municipality = access.get_municipality_or_404(slug)
    announcement = access.get_visible_or_404(Announcement.objects.all(), request.auth, municipality, pk=pk)
    services.delete_announcement(announcement=announcement, by=request.auth)
    return 204, None
