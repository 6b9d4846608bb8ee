from django.urls import path

from . import import_views, views

app_name = "portfolio"

urlpatterns = [
    path("<slug:slug>/projekte/", views.public_list, name="public-list"),
    path("<slug:slug>/projekte/<int:pk>/", views.project_detail, name="detail"),
    path("<slug:slug>/projekte/prioritaeten/", views.public_ranking, name="public-ranking"),
    path("<slug:slug>/projekte/fahrplan/", views.roadmap, name="roadmap"),
    path("<slug:slug>/projekte/entscheidungen/", views.decision_list, name="decisions"),
    path("<slug:slug>/projekte/entscheidungen/<int:pk>/", views.decision_detail, name="decision"),
    path("<slug:slug>/intern/projekte/", views.project_list, name="list"),
    path("<slug:slug>/intern/projekte/neu/", views.project_create, name="create"),
    path("<slug:slug>/intern/projekte/import/", import_views.project_import, name="import"),
    path("<slug:slug>/intern/projekte/prioritaeten/", views.ranking, name="ranking"),
    path("<slug:slug>/intern/projekte/reihenfolge/", views.sequencing, name="sequencing"),
    path("<slug:slug>/intern/projekte/kriterien/", views.criteria, name="criteria"),
    path("<slug:slug>/intern/projekte/vorlagen/", views.templates, name="templates"),
    path("<slug:slug>/intern/projekte/<int:pk>/", views.project_manage, name="manage"),
    path("<slug:slug>/intern/projekte/<int:pk>/bearbeiten/", views.project_edit, name="edit"),
]
