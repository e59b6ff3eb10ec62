"""The API against its own generated OpenAPI document: every operation, driven by schemathesis
in-process (no network), must answer only documented status codes with bodies that match the
documented schemas, and never a server error."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anklesleep.services.access import csrf_secret
from anklesleep.store import open_database
from anklesleep.web.app import create_app
from anklesleep.web.security import signed_token
from tests.web_helpers import BASE, Clock, FakeRenderer, prepare

CSRF = ""  # signed by the app's secret once the database exists (below)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


HOST = BASE.split("//")[1]


def _schema(tmp: Path) -> BaseSchema:
    """The app over a file database (so remembered answers are exercised too), and the
    document it serves."""
    global CSRF
    engine = open_database(tmp / "contract.sqlite3")
    prepare(engine, acknowledged=True)
    CSRF = signed_token(csrf_secret(engine, dt.datetime(2026, 3, 14, tzinfo=dt.UTC)))
    app = create_app(
        engine,
        clock=Clock(dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)),
        renderer=FakeRenderer(tmp / "tracks"),
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app, headers={"host": HOST})


#: removed with the interpreter; schemathesis reads the document when the module is collected
_FOLDER = tempfile.TemporaryDirectory(prefix="anklesleep-contract-")
schema = _schema(Path(_FOLDER.name))


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate(
        base_url=BASE,
        headers={"x-csrf-token": CSRF, "host": HOST, "x-requested-with": "anklesleep"},
        cookies={"anklesleep_csrf": CSRF},
        checks=CHECKS,
    )
