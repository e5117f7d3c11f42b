"""Property-based API fuzzing: no generated request — valid or not — may produce a server error.

The OpenAPI document is loaded from the Django WSGI application itself. Every operation is called with
a clerk of 粤0106's bearer token against a small world of cases in different states (registered, in
progress with a pending extension, suspended, closed, and one in the sibling court 粤0104). About half
of the generated integer path ids are swapped for ids of those real objects, so the handlers and the
services behind them see fuzzed bodies for objects that exist, not only 404s.

All requests run inside the test's transaction (rolled back afterwards): Django's test client does the
same by not closing the connection between requests, which we mirror by disconnecting
`close_old_connections` while the test runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from zhixing.cases import services
from zhixing.cases.models import Extension, Node, Party
from zhixing.config.wsgi import application
from zhixing.courts.services import issue_token

from .. import factories

pytestmark = pytest.mark.django_db

# The cases and courts operations (other domains fuzz their own routers against their own fixtures).
OWN_OPERATIONS = r"^zhixing_(cases|courts)_api_"
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(
    operation_id_regex=OWN_OPERATIONS
)

ID_PARAMS = {"case_id": "cases", "node_id": "nodes", "party_id": "parties", "ext_id": "extensions"}


@pytest.fixture
def world(people: dict[str, Any]) -> Iterator[dict[str, Any]]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        clerk, judge = people["clerk"], people["judge"]
        registered = factories.case(clerk)
        running = factories.case(clerk)
        services.assign_case(people["director"], running, judge)
        services.request_extension(judge, running, reason="财产处置尚未完成")
        suspended = factories.case(clerk)
        services.suspend_case(
            judge, suspended, ground="objection", start=date(2026, 3, 5), document_ref="中止裁定"
        )
        closed = factories.case(clerk)
        services.close_case(
            judge,
            closed,
            mode="terminated",
            closed_on=date(2026, 3, 10),
            details={"document_ref": "终结裁定", "ground": "applicant_withdraws"},
        )
        sibling = factories.case(people["yx_judge"])
        cases = [registered, running, suspended, closed, sibling]
        yield {
            "headers": {"Authorization": f"Bearer {issue_token(None, clerk, 'schemathesis')}"},
            "cases": [c.pk for c in cases],
            "nodes": list(Node.objects.filter(case__in=cases).values_list("pk", flat=True)),
            "parties": list(Party.objects.filter(case__in=cases).values_list("pk", flat=True)),
            "extensions": list(Extension.objects.values_list("pk", flat=True)),
        }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _use_real_ids(case: Any, world: dict[str, Any]) -> None:
    params = case.path_parameters or {}
    for name, kind in ID_PARAMS.items():
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
            ids = world[kind]
            params[name] = ids[value // 2 % len(ids)]


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, world: dict[str, Any]) -> None:
    _use_real_ids(case, world)
    case.call_and_validate(headers=world["headers"], checks=[not_a_server_error])
