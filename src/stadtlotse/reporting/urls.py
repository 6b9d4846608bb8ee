from django.urls import path

from . import views

app_name = "reporting"

P, W = "<slug:slug>/berichte/", "<slug:slug>/intern/berichte/"

urlpatterns = [
    path(P, views.public_index, name="public-index"),
    path(P + "<int:pk>/", views.report_detail, name="report"),
    path(P + "<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path(P + "daten/", views.catalogue, name="catalogue"),
    path(P + "daten/<slug:key>/", views.dataset_detail, name="dataset"),
    path(P + "daten/<slug:key>.<slug:fmt>", views.download, name="download"),
    path(P + "abonnieren/", views.feed_list, name="feeds"),
    path(P + "kalender/<slug:name>.ics", views.calendar_feed, name="calendar"),
    path(P + "neuigkeiten/<slug:name>.atom", views.news_feed, name="news"),
    path(P + "suche/", views.search_page, name="search"),
    path(P + "vergleich/", views.comparison, name="comparison"),
    path(W, views.index, name="index"),
    path(W + "hinweise/<slug:kind>/", views.attention_list, name="attention"),
    path(W + "<int:pk>/", views.manage, name="manage"),
    path(W + "<int:pk>/veroeffentlichen/", views.publish, name="publish"),
    path(W + "<int:pk>/loeschen/", views.delete, name="delete"),
    path(W + "<int:pk>/pdf/", views.manage_pdf, name="manage-pdf"),
    path(W + "<int:pk>/ratsvorlage.docx", views.council_paper, name="paper"),
    path(W + "vergleich/", views.comparison_change, name="comparison-change"),
    path(W + "kalender/<slug:name>.ics", views.internal_calendar_feed, name="internal-calendar"),
    path(W + "neuigkeiten/<slug:name>.atom", views.internal_news_feed, name="internal-news"),
]
