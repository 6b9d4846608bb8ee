from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("<slug:slug>/gremien/", views.public_index, name="public-index"),
    path("<slug:slug>/gremien/<int:pk>/", views.body_detail, name="body-detail"),
    path("<slug:slug>/gremien/verwaltung/", views.public_departments, name="public-departments"),
    path("<slug:slug>/gremien/digitallotsen/", views.public_pilots, name="public-pilots"),
    path("<slug:slug>/intern/gremien/", views.index, name="index"),
    path("<slug:slug>/intern/gremien/<int:pk>/", views.body_manage, name="body-manage"),
    path("<slug:slug>/intern/gremien/<int:pk>/bearbeiten/", views.body_edit, name="body-edit"),
    path("<slug:slug>/intern/gremien/sitze/<int:pk>/", views.membership_edit, name="membership-edit"),
    path("<slug:slug>/intern/gremien/sitze/<int:pk>/loeschen/", views.membership_delete, name="membership-delete"),
    path("<slug:slug>/intern/gremien/regeln/<int:pk>/loeschen/", views.rule_delete, name="rule-delete"),
    path("<slug:slug>/intern/gremien/personen/", views.person_list, name="people"),
    path("<slug:slug>/intern/gremien/personen/<int:pk>/", views.person_edit, name="person-edit"),
    path("<slug:slug>/intern/gremien/stammdaten/", views.registry, name="registry"),
    path("<slug:slug>/intern/gremien/verwaltung/", views.departments, name="departments"),
    path("<slug:slug>/intern/gremien/digitallotsen/", views.pilots, name="pilots"),
    path("<slug:slug>/intern/gremien/digitallotsen/<int:pk>/", views.pilot_edit, name="pilot-edit"),
]
