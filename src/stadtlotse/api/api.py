"""The REST API under /api/v1/: one NinjaAPI, with a router per app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from stadtlotse.core.api import router as core_router
from stadtlotse.core.services import STALE
from stadtlotse.council.api import router as council_router
from stadtlotse.finance.api import router as finance_router
from stadtlotse.governance.api import router as governance_router
from stadtlotse.onlineservices.api import router as onlineservices_router
from stadtlotse.participation.api import router as participation_router
from stadtlotse.portfolio.api import router as portfolio_router
from stadtlotse.reporting.api import router as reporting_router
from stadtlotse.schools.api import router as schools_router
from stadtlotse.strategy.api import router as strategy_router

from .auth import AUTH

api = NinjaAPI(
    title="Stadtlotse API",
    version="1",
    description=(
        "Municipal digital strategy: strategy, portfolio, finance, council, participation. "
        "Public data can be read without authentication; send a personal token as "
        "`Authorization: Bearer <token>` (created under /konto/) for everything your roles allow."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    message = str(exc) or "You may not do this."
    status = 403 if request.user.is_authenticated else 401
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = "; ".join(f"{field}: {' '.join(msgs)}" if field != "__all__" else " ".join(msgs)
                       for field, msgs in errors.items())
    # A write on top of a version the client did not see is a conflict (409), not bad input.
    stale = any(error.code == STALE for error in getattr(exc, "error_list", ()))
    return api.create_response(request, {"detail": detail, "errors": errors}, status=409 if stale else 422)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    from stadtlotse.core.views import database_unavailable

    return database_unavailable(request, exc)


api.add_router("/", core_router)
api.add_router("/", strategy_router)
api.add_router("/", portfolio_router)
api.add_router("/", finance_router)
api.add_router("/", governance_router)
api.add_router("/", council_router)
api.add_router("/", participation_router)
api.add_router("/", schools_router)
api.add_router("/", onlineservices_router)
api.add_router("/", reporting_router)


@csrf_exempt  # it changes nothing; API clients with tokens send no CSRF token
def not_found_view(request, *args, **kwargs):
    """Unknown addresses under /api/ answer in JSON too."""
    return JsonResponse({"detail": "Not found."}, status=404)
