from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("<slug:slug>/schulen/", views.public_index, name="public-index"),
    path("<slug:slug>/schulen/gleichwertigkeit/<int:pk>/", views.public_equity, name="public-equity"),
    path("<slug:slug>/intern/schulen/", views.index, name="index"),
    path("<slug:slug>/intern/schulen/geraete/import/", views.asset_import, name="asset-import"),
    path("<slug:slug>/intern/schulen/plaene/", views.plan_list, name="plan-list"),
    path("<slug:slug>/intern/schulen/plaene/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<slug:slug>/intern/schulen/plaene/<int:pk>/bearbeiten/", views.plan_edit, name="plan-edit"),
    path("<slug:slug>/intern/schulen/plaene/<int:pk>/finanzplan/", views.plan_produce, name="plan-produce"),
    path("<slug:slug>/intern/schulen/<int:pk>/", views.school_detail, name="school-detail"),
    path("<slug:slug>/intern/schulen/<int:pk>/bestand/neu/", views.snapshot_add, name="snapshot-add"),
    path("<slug:slug>/intern/schulen/<int:pk>/bestand/<int:snapshot_pk>/loeschen/", views.snapshot_delete,
         name="snapshot-delete"),
    path("<slug:slug>/intern/schulen/<int:pk>/kennzahlen/", views.figures_edit, name="figures-edit"),
    path("<slug:slug>/intern/schulen/<int:pk>/medienkonzept/", views.concept_edit, name="concept-edit"),
    path("<slug:slug>/intern/schulen/<int:pk>/medienkonzept/dokument/", views.concept_document,
         name="concept-document"),
    path("<slug:slug>/intern/schulen/<int:pk>/konten/", views.account_link, name="account-link"),
    path("<slug:slug>/intern/schulen/<int:pk>/geraete/", views.assets, name="assets"),
]
