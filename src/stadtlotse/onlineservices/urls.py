from django.urls import path

from . import import_views, views

app_name = "onlineservices"

urlpatterns = [
    path("<slug:slug>/onlinedienste/", views.public_index, name="public-index"),
    path("<slug:slug>/intern/onlinedienste/", views.service_list, name="index"),
    path("<slug:slug>/intern/onlinedienste/neu/", views.service_create, name="service-create"),
    path("<slug:slug>/intern/onlinedienste/uebersicht/", views.overview, name="overview"),
    path("<slug:slug>/intern/onlinedienste/import/", import_views.catalogue_import, name="import"),
    path("<slug:slug>/intern/onlinedienste/prozesse/", views.process_list, name="process-list"),
    path("<slug:slug>/intern/onlinedienste/prozesse/<int:pk>/", views.process_detail, name="process-detail"),
    path("<slug:slug>/intern/onlinedienste/<int:pk>/", views.service_detail, name="service-detail"),
    path("<slug:slug>/intern/onlinedienste/<int:pk>/bearbeiten/", views.service_edit, name="service-edit"),
    path("<slug:slug>/intern/onlinedienste/<int:pk>/bewertung/", views.service_assess, name="service-assess"),
    path("<slug:slug>/intern/onlinedienste/<int:pk>/nutzung/", views.service_usage, name="service-usage"),
]
