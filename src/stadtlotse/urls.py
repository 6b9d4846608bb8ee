from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language

from stadtlotse.api.api import api, not_found_view

handler403 = "stadtlotse.core.views.error_403"
handler404 = "stadtlotse.core.views.error_404"
handler500 = "stadtlotse.core.views.error_500"

urlpatterns = [
    path("betrieb/", admin.site.urls),  # the operator's Django admin
    path("api/v1/", api.urls),
    path("oparl/v1/", include("stadtlotse.oparl.urls")),
    re_path(r"^api/", not_found_view),
    path("sprache/", set_language, name="set_language"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("stadtlotse.strategy.urls")),
    path("", include("stadtlotse.portfolio.urls")),
    path("", include("stadtlotse.finance.urls")),
    path("", include("stadtlotse.governance.urls")),
    path("", include("stadtlotse.council.urls")),
    path("", include("stadtlotse.participation.urls")),
    path("", include("stadtlotse.schools.urls")),
    path("", include("stadtlotse.onlineservices.urls")),
    path("", include("stadtlotse.reporting.urls")),
    path("", include("stadtlotse.core.urls")),
]
