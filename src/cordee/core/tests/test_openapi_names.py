"""The OpenAPI document names its schemas after their classes: two routers with a schema of the
same name and another shape would leave only one of them in the document, and the other endpoints
described wrongly."""

from __future__ import annotations

import importlib
import pkgutil

from ninja import Schema

import cordee


def _api_schemas() -> dict[str, list[type[Schema]]]:
    found: dict[str, list[type[Schema]]] = {}
    for module_info in pkgutil.walk_packages(cordee.__path__, "cordee."):
        if not module_info.name.rsplit(".", 1)[-1].startswith("api") or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                found.setdefault(value.__name__, []).append(value)
    return found


def test_no_two_api_schemas_share_a_name_with_different_fields() -> None:
    schemas = _api_schemas()
    assert "Refusal" in schemas  # the shared error schema is found, so the walk works
    clashes = {
        name: [klass.__module__ for klass in classes]
        for name, classes in schemas.items()
        if len({tuple(sorted(klass.model_json_schema()["properties"])) for klass in classes}) > 1
    }
    assert clashes == {}
