"""The JSON API under /api/v1/, its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from cordee import __version__
from cordee.clearing.api import router as clearing_router
from cordee.governance.api import router as governance_router
from cordee.invoicing.api import router as invoicing_router
from cordee.ledger.api import router as ledger_router
from cordee.network.api import router as network_router
from cordee.practices.api import router as practices_router
from cordee.premises.api import router as premises_router
from cordee.projects.api import router as projects_router
from cordee.reporting.api import router as reporting_router
from cordee.skills.api import router as skills_router
from cordee.staffing.api import router as staffing_router
from cordee.treasury.api import router as treasury_router

api = NinjaAPI(
    title="Cordée API",
    version="1",
    description=f"Cordée {__version__}: the platform of a territorial cooperation hub.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", network_router)
api.add_router("/", ledger_router)
api.add_router("/", premises_router)
api.add_router("/", invoicing_router)
api.add_router("/", governance_router)
api.add_router("/", treasury_router)
api.add_router("/", staffing_router)
api.add_router("/", skills_router)
api.add_router("/", clearing_router)
api.add_router("/", practices_router)
api.add_router("/", projects_router)
api.add_router("/", reporting_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(part) for part in error.get("loc", [])[1:]) or None, "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)
