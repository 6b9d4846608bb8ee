from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/anmelden/", views.LoginView.as_view(), name="login"),
    path("konto/", views.account, name="account"),
    path("konto/benachrichtigungen/", views.notification_list, name="notification-list"),
    path("konto/benachrichtigungen/<int:pk>/", views.notification_open, name="notification-open"),
    path("konto/benachrichtigungen/gelesen/", views.notification_read_all, name="notification-read-all"),
    path("konto/token/<int:pk>/widerrufen/", views.token_revoke, name="token-revoke"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("<slug:slug>/", views.portal, name="portal"),
    path("<slug:slug>/mitteilungen/<int:pk>/", views.announcement_detail, name="announcement-detail"),
    path("<slug:slug>/barrierefreiheit/", views.municipality_accessibility, name="municipality-accessibility"),
    path("<slug:slug>/intern/", views.workspace, name="workspace"),
    path("<slug:slug>/intern/mitteilungen/", views.announcement_list, name="announcement-list"),
    path("<slug:slug>/intern/mitteilungen/<int:pk>/bearbeiten/", views.announcement_edit, name="announcement-edit"),
    path("<slug:slug>/intern/mitteilungen/<int:pk>/loeschen/", views.announcement_delete, name="announcement-delete"),
    path("<slug:slug>/intern/abteilungen/", views.department_list, name="department-list"),
    path("<slug:slug>/intern/abteilungen/<int:pk>/bearbeiten/", views.department_edit, name="department-edit"),
    path("<slug:slug>/intern/abteilungen/<int:pk>/loeschen/", views.department_delete, name="department-delete"),
    path("<slug:slug>/intern/rollen/", views.membership_list, name="membership-list"),
    path("<slug:slug>/intern/rollen/<int:pk>/entziehen/", views.membership_delete, name="membership-delete"),
    path("<slug:slug>/intern/einstellungen/", views.municipality_settings, name="settings"),
    path("<slug:slug>/intern/protokoll/", views.audit_log, name="audit-log"),
    path("<slug:slug>/intern/verlauf/<slug:kind>/<int:pk>/", views.history, name="history"),
]
