from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("<slug:slug>/intern/finanzen/", views.plan_page, name="plan"),
    path("<slug:slug>/intern/finanzen/finanzplan.<str:fmt>", views.plan_export, name="export"),
    path("<slug:slug>/intern/finanzen/mittelfristig/", views.medium_term, name="medium-term"),
    path("<slug:slug>/intern/finanzen/mittelfristig.<str:fmt>", views.medium_term_export, name="medium-term-export"),
    path("<slug:slug>/intern/finanzen/saetze/", views.rates, name="rates"),
    path("<slug:slug>/intern/finanzen/langfristig/", views.long_term, name="long-term"),
    path("<slug:slug>/intern/finanzen/foerderprogramme/", views.programmes, name="programmes"),
    path("<slug:slug>/intern/finanzen/haushalt/", views.budget_lines, name="budget"),
    path("<slug:slug>/intern/finanzen/projekt/<int:pk>/", views.project_finance, name="project"),
]
