from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("<slug:slug>/strategie/", views.strategy_list, name="list"),
    path("<slug:slug>/strategie/<int:pk>/", views.strategy_detail, name="detail"),
    path("<slug:slug>/strategie/<int:pk>/version/<int:vpk>/", views.version_detail, name="version-detail"),
    path("<slug:slug>/strategie/<int:pk>/vergleich/", views.version_compare, name="compare"),
    path("<slug:slug>/intern/strategie/", views.manage_list, name="manage-list"),
    path("<slug:slug>/intern/strategie/<int:pk>/", views.manage, name="manage"),
    path("<slug:slug>/intern/strategie/<int:pk>/neue-version/", views.version_create, name="version-create"),
    path("<slug:slug>/intern/strategie/version/<int:vpk>/", views.version_edit, name="version-edit"),
    path(
        "<slug:slug>/intern/strategie/version/<int:vpk>/beteiligung/",
        views.version_consultation,
        name="version-consultation",
    ),
    path("<slug:slug>/intern/strategie/version/<int:vpk>/beschluss/", views.version_adopt, name="version-adopt"),
    path("<slug:slug>/intern/strategie/version/<int:vpk>/loeschen/", views.version_delete, name="version-delete"),
    path("<slug:slug>/intern/strategie/<slug:kind>/<int:pk>/", views.item_edit, name="item-edit"),
    path("<slug:slug>/intern/strategie/<slug:kind>/<int:pk>/loeschen/", views.item_delete, name="item-delete"),
]
