"""The API as its OpenAPI schema lists it: operations, list endpoints, the view behind a path."""

import re
from functools import cache

from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

PUBLIC_PATHS = {"/api/v1/token/", "/api/schema/", "/api/docs/"}
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def schema_paths() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def schema_operations() -> list[tuple[str, str]]:
    return [
        (path, method.upper())
        for path, item in sorted(schema_paths().items())
        for method in item
        if method in METHODS and path not in PUBLIC_PATHS
    ]


def list_paths() -> list[str]:
    """The GET endpoints that answer a page of rows."""
    return [
        path
        for path, method in schema_operations()
        if method == "GET" and "{" not in path and "limit" in parameter_names(path, "get")
    ]


def parameter_names(path: str, method: str) -> set[str]:
    return {p["name"] for p in schema_paths()[path][method].get("parameters", [])}


def view_of(path: str):
    """The view class and its action for `method` on `path`."""
    return resolve(re.sub(r"\{\w+\}", "1", path)).func


def model_of(path: str):
    return view_of(path).cls.serializer_class.Meta.model
