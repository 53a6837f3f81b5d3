"""Zoom's published contract, read from `../shared/zoom/` (never copied into the project): its
OpenAPI document, webhook samples and signature vectors.

`Contract.check_request` and `check_response` validate a body against the operation's schema,
**strictly**: every object schema that lists its properties refuses any other (Zoom's document
does not say `additionalProperties: false`, but a field Zoom does not know is a bug of ours: it
would be ignored or refused in production). Tests that need the folder skip with the reason
when it is absent (a user's own clone).
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings

SHARED_ZOOM = Path(settings.BASE_DIR).parent / "shared" / "zoom"
OPENAPI = SHARED_ZOOM / "zoom-meeting-api.openapi.json"


def require_shared() -> Path:
    if not OPENAPI.exists():
        pytest.skip(f"Zoom's contract is not here ({SHARED_ZOOM} is absent)")
    return SHARED_ZOOM


def sample(event: str) -> dict[str, Any]:
    """A webhook sample body by its event name."""
    body: dict[str, Any] = json.loads(
        (require_shared() / "webhook-samples" / f"{event}.json").read_text()
    )
    return body


def signature_vectors() -> dict[str, Any]:
    vectors: dict[str, Any] = json.loads((require_shared() / "signature-vectors.json").read_text())
    return vectors


def _strict(schema: Any) -> Any:
    if isinstance(schema, dict):
        out = {key: _strict(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        # OpenAPI 3.0's `nullable` is not JSON Schema: a null is allowed where it says so.
        if out.pop("nullable", False) and "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else out["type"]
        return out
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    return schema


class ContractError(AssertionError):
    """A body Zoom's document does not allow."""


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.routes = [
            (re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"), path)
            for path in document["paths"]
        ]

    def operation(self, method: str, path: str) -> dict[str, Any]:
        """The operation of a concrete path ("/meetings/123/recordings"); literal segments
        win over templated ones, as in Zoom's router."""
        matches = [template for pattern, template in self.routes if pattern.match(path)]
        if not matches:
            raise ContractError(f"Zoom has no path like {path}")
        best = max(matches, key=lambda template: template.count("/") - template.count("{"))
        operations = self.document["paths"][best]
        if method.lower() not in operations:
            raise ContractError(f"Zoom has no {method} {best}")
        operation: dict[str, Any] = operations[method.lower()]
        return operation

    def check_request(self, method: str, path: str, body: Any) -> None:
        operation = self.operation(method, path)
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is None:
            if body not in (None, b"", ""):
                raise ContractError(f"{method} {path} takes no body")
            return
        _validate(body, content["schema"], f"{method} {path} request")

    def check_query(self, method: str, path: str, query: dict[str, str]) -> None:
        operation = self.operation(method, path)
        known = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
        for name, value in query.items():
            if name not in known:
                raise ContractError(f"{method} {path}: unknown query parameter {name!r}")
            enum = known[name].get("schema", {}).get("enum")
            if enum and value not in enum:
                raise ContractError(f"{method} {path}: {name}={value!r} is not one of {enum}")

    def check_response(self, method: str, path: str, status: int, body: Any) -> None:
        operation = self.operation(method, path)
        response = operation["responses"].get(str(status))
        if response is None:
            raise ContractError(f"{method} {path} does not answer {status}")
        content = (response.get("content") or {}).get("application/json")
        if content is None:
            if body not in (None, b"", ""):
                raise ContractError(f"{method} {path} {status} has no body")
            return
        _validate(body, content["schema"], f"{method} {path} {status} response")


def _validate(body: Any, schema: dict[str, Any], what: str) -> None:
    validator = jsonschema.Draft4Validator(_strict(copy.deepcopy(schema)))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        details = "; ".join(
            f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors
        )
        raise ContractError(f"{what} breaks Zoom's contract: {details}")


@cache
def _load() -> Contract:
    return Contract(json.loads(OPENAPI.read_text()))


def contract() -> Contract:
    require_shared()
    return _load()
