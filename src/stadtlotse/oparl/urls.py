from django.urls import path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.system, name="system"),
    path("bodies/", views.body_list, name="body-list"),
    path("<slug:slug>/intern/import/", views.index, name="index"),
    path("<slug:slug>/intern/import/<int:pk>/", views.run_detail, name="run-detail"),
    path("<slug:slug>/info/", views.public_index, name="public-index"),
    path("<slug:slug>/", views.body, name="body"),
    path("<slug:slug>/<slug:segment>/", views.object_list, name="list"),
    path("<slug:slug>/<slug:segment>/<str:key>/", views.object_detail, name="object"),
]
