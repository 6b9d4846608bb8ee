from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("<slug:slug>/rat/", views.public_index, name="public-index"),
    path("<slug:slug>/rat/vorlagen/", views.public_paper_list, name="public-paper-list"),
    path("<slug:slug>/rat/vorlagen.csv", views.paper_export, name="paper-export"),
    path("<slug:slug>/rat/kalender.ics", views.feed, name="feed"),
    path("<slug:slug>/rat/vorlagen/<int:pk>/", views.public_paper_detail, name="public-paper-detail"),
    path("<slug:slug>/rat/vorlagen/<int:pk>/dateien/<int:file_pk>/", views.paper_file, name="paper-file"),
    path("<slug:slug>/rat/sitzungen/", views.public_meeting_list, name="public-meeting-list"),
    path("<slug:slug>/rat/sitzungen/<int:pk>/", views.public_meeting_detail, name="public-meeting-detail"),
    path("<slug:slug>/intern/rat/", views.index, name="index"),
    path("<slug:slug>/intern/rat/vorlagen/", views.paper_list, name="paper-list"),
    path("<slug:slug>/intern/rat/vorlagen/neu/", views.paper_create, name="paper-create"),
    path("<slug:slug>/intern/rat/vorlagen/<int:pk>/", views.paper_detail, name="paper-detail"),
    path("<slug:slug>/intern/rat/vorlagen/<int:pk>/bearbeiten/", views.paper_edit, name="paper-edit"),
    path("<slug:slug>/intern/rat/vorlagen/<int:pk>/entfernen/", views.paper_remove, name="paper-remove"),
    path("<slug:slug>/intern/rat/sitzungen/", views.meeting_list, name="meeting-list"),
    path("<slug:slug>/intern/rat/sitzungen/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<slug:slug>/intern/rat/auftraege/", views.mandate_list, name="mandate-list"),
    path("<slug:slug>/intern/rat/auftraege/<int:pk>/", views.mandate_detail, name="mandate-detail"),
    path("<slug:slug>/intern/rat/verlauf/<slug:kind>/<int:pk>/", views.history, name="history"),
    path("<slug:slug>/intern/rat/entwurf/", views.draft_index, name="draft-index"),
    path("<slug:slug>/intern/rat/entwurf/projekt/<int:pk>/", views.draft_project, name="draft-project"),
    path("<slug:slug>/intern/rat/entwurf/strategie/<int:pk>/", views.draft_version, name="draft-version"),
]
