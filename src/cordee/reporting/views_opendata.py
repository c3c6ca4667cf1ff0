"""The open-data pages: the list of datasets, their CSV and JSON files and their Table Schemas.

Open to everyone, and the same for everyone (see `cordee.reporting.opendata`): the files may be
fetched from any site (a map, a portal), hence `Access-Control-Allow-Origin: *`."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cordee.reporting import opendata


def _dataset(key: str) -> opendata.Dataset:
    dataset = opendata.get_dataset(key)
    if dataset is None:
        raise Http404
    return dataset


def _open(response: HttpResponse | StreamingHttpResponse) -> HttpResponse | StreamingHttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    datasets = [{"dataset": dataset, "count": dataset.count()} for dataset in opendata.DATASETS.values()]
    return render(
        request,
        "reporting/opendata.html",
        {"datasets": datasets, "licence": opendata.LICENCE, "producer": settings.HUB_NAME},
    )


@require_safe
def dataset_csv(request: HttpRequest, dataset: str) -> StreamingHttpResponse:
    found = _dataset(dataset)
    response = StreamingHttpResponse(
        opendata.batched(opendata.csv_lines(found, request.build_absolute_uri)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.key}.csv"'
    _open(response)
    return response


@require_safe
def dataset_json(request: HttpRequest, dataset: str) -> StreamingHttpResponse:
    found = _dataset(dataset)
    response = StreamingHttpResponse(
        opendata.batched(opendata.json_chunks(found, request.build_absolute_uri)),
        content_type="application/json; charset=utf-8",
    )
    _open(response)
    return response


@require_safe
def dataset_schema(request: HttpRequest, dataset: str) -> JsonResponse:
    found = _dataset(dataset)
    response = JsonResponse(found.schema(request.build_absolute_uri), json_dumps_params={"ensure_ascii": False})
    _open(response)
    return response
