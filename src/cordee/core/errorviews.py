"""Error pages: a person never sees a stack trace, whatever went wrong."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, status: int, template: str, detail: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": detail}, status=status)
    try:
        body: str = render_to_string(template, request=request)
    except Exception:  # the error page itself must never fail
        body = f"<h1>{status}</h1>"
    return HttpResponse(body, status=status)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, "403.html", "Forbidden.")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, "404.html", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "500.html", "Server error.")
