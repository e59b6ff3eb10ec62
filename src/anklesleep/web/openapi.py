"""The OpenAPI 3.1 document of `/api/`, generated from the operation list and the typed models.

Nothing here is written by hand per operation: each `Operation` names its path, method, handler,
query and path parameters, request model and the models of its answers (status by status), and
`document()` turns the list into OpenAPI with the models' JSON Schemas as components.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import Route

from anklesleep import __version__
from anklesleep.web.models import Error

REF = "#/components/schemas/{model}"
ERROR_TEXTS = {
    400: "A field is wrong; the message names it and says how to fix it.",
    403: "Missing CSRF token or app header, or a request from another site.",
    404: "Not found.",
}


@dataclass(frozen=True)
class Param:
    """A query or path parameter."""

    name: str
    where: str  # "query" or "path"
    schema: Mapping[str, Any]
    description: str
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "in": self.where,
            "required": self.required or self.where == "path",
            "description": self.description,
            "schema": dict(self.schema),
        }


@dataclass(frozen=True)
class Answer:
    """One documented answer: its status, its body's model (None: no body) and a sentence."""

    status: int
    model: type[BaseModel] | None
    description: str


@dataclass(frozen=True)
class Operation:
    """One API operation: the route and everything the document says about it."""

    method: str
    path: str
    endpoint: Callable[..., Any]
    summary: str
    answers: Sequence[Answer]
    params: Sequence[Param] = ()
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    name: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def route(self) -> Route:
        return Route(self.path, self.endpoint, methods=[self.method], name=self.name)


def _content(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for answer in op.answers:
        entry: dict[str, Any] = {"description": answer.description}
        if answer.model is not None:
            entry["content"] = _content(answer.model)
        responses[str(answer.status)] = entry
    for code in op.errors:
        responses[str(code)] = {"description": ERROR_TEXTS[code], "content": _content(Error)}
    result: dict[str, Any] = {"summary": op.summary, "responses": responses}
    if op.params:
        result["parameters"] = [p.to_dict() for p in op.params]
    if op.body is not None:
        result["requestBody"] = {"required": True, "content": _content(op.body)}
    return result


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The whole OpenAPI document for `operations`."""
    models: set[type[BaseModel]] = {Error}
    for op in operations:
        models.update(a.model for a in op.answers if a.model is not None)
        if op.body is not None:
            models.add(op.body)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, schemas = models_json_schema([(m, "validation") for m in ordered], ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "anklesleep",
            "version": __version__,
            "description": "The local JSON API of the anklesleep web app. State-changing "
            "requests need the X-CSRF-Token header (the value of the page's csrf-token meta).",
        },
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {})},
    }
