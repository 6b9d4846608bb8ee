from django.urls import path

from . import views

app_name = "participation"

P = "<slug:slug>/beteiligung/"
W = "<slug:slug>/intern/beteiligung/"

urlpatterns = [
    path(P, views.public_index, name="public-index"),
    path(P + "phase/<int:pk>/", views.phase_detail, name="phase-detail"),
    path(P + "beitrag/<int:pk>/", views.contribution_detail, name="contribution-detail"),
    path(P + "beitrag/<int:pk>/antworten/", views.contribution_reply, name="contribution-reply"),
    path(P + "beitrag/<int:pk>/unterstuetzen/", views.contribution_support, name="contribution-support"),
    path(P + "beitrag/<int:pk>/melden/", views.contribution_report, name="contribution-report"),
    path(P + "ideen/", views.idea_list, name="idea-list"),
    path(P + "abschnitt/<int:pk>/", views.section_detail, name="section-detail"),
    path(P + "regeln/", views.rules_page, name="rules"),
    path(P + "moderation/", views.moderation_log, name="moderation-log"),
    path(P + "registrieren/", views.register, name="register"),
    path(P + "meine-daten/", views.my_data, name="my-data"),
    path(P + "meine-daten/export/", views.my_data_export, name="my-data-export"),
    path(P + "meine-daten/loeschen/", views.my_data_delete, name="my-data-delete"),
    path(W, views.index, name="index"),
    path(W + "phase/<int:pk>/abwaegung/", views.weighing, name="weighing"),
    path(W + "beitrag/<int:pk>/", views.manage_contribution, name="manage-contribution"),
    path(W + "sperre/<int:pk>/aufheben/", views.unblock, name="unblock"),
]
