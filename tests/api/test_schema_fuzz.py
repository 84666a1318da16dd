"""Schema fuzzing (schemathesis): every operation of the full site's OpenAPI schema (/api/openapi.json, the staff
API with the public one mounted under /api/public/), called in-process through the Django WSGI application as a
bureau registrar, with generated valid and invalid input (path, query and body). No answer may be a 5xx, and
every answer must be one of the operation's declared status codes, with the declared content type and a body
matching the declared schema.

Bounded to run in well under a minute: XINFANG_FUZZ_EXAMPLES (default 20 per operation) raises the bound for a
deeper run, e.g. `XINFANG_FUZZ_EXAMPLES=500 pytest tests/api/test_schema_fuzz.py -s`."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from tests.factories import leaf_category, make_case, make_district, make_user
from xinfang.api.auth import issue_token
from xinfang.cases.identity import make_id_number
from xinfang.cases.models import Case
from xinfang.cases.workflow.table import ACTIONS
from xinfang.orgs.roles import Role
from xinfang.portal import public
from xinfang.supervision.models import ReceptionSlot

EXAMPLES = int(os.environ.get("XINFANG_FUZZ_EXAMPLES", "20"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
ACTION_CODES = sorted(ACTIONS)
PHONE = "13912345678"

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

_tally = {"operations": set(), "examples": 0, "server_errors": 0}


@dataclass
class World:
    token: str
    case_ids: list[int]
    unit_ids: list[int]
    category_id: int
    query_code: str
    slot_id: int


@pytest.fixture
def world(db) -> World:
    """A small district: a registrar (the caller), three cases (one unrouted, two routed), one online petition
    whose query code the public operations may hit, and a published reception slot."""
    district = make_district()
    registrar = make_user(Role.REGISTRAR, district.bureau)
    cases = [
        make_case(registered_by=registrar),
        make_case(registered_by=registrar, unit=district.units[0]),
        make_case(registered_by=registrar, unit=district.units[1], title="反映道路破损问题"),
    ]
    submission = public.Submission(
        name="李四",
        id_number=make_id_number("440111", datetime.date(1980, 5, 6), 123),
        phone=PHONE,
        address="示例区某街道2号",
        title="小区门口道路破损",
        content="小区门口道路破损严重，雨天积水，请求维修。",
    )
    online, code = public.submit(submission, address="10.0.0.1")
    slot = ReceptionSlot.objects.create(
        leader=make_user(Role.LEADER, district.root),
        day=datetime.date(2099, 1, 8),
        start=datetime.time(9),
        end=datetime.time(11),
        place="接待大厅",
        capacity=5,
        is_published=True,
    )
    return World(
        token=issue_token(registrar, "模糊测试"),
        case_ids=[c.pk for c in [*cases, online]],
        unit_ids=[u.pk for u in district.units],
        category_id=leaf_category().pk,
        query_code=code,
        slot_id=slot.pk,
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Django's test client keeps the test's connection (and its transaction) open across requests; a bare WSGI
    # handler closes it after each one (request_finished). Do as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    line = (
        f"schemathesis: {len(_tally['operations'])} operations, {_tally['examples']} examples, "
        f"{_tally['server_errors']} 5xx"
    )
    with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
        print(f"\n{line}")


def _chosen(value) -> bool:
    """About half of the generated values, decided by the value itself (so that hypothesis still shrinks)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value % 2 == 0
    return isinstance(value, str) and len(value) % 2 == 0


def _pick(value, choices: list):
    return choices[(value if isinstance(value, int) else len(value)) % len(choices)]


def _aim(case, world: World) -> None:
    """Random ids almost never name a real row, random text never passes the ID-number checksum or matches a
    query code: the fuzzing would stop at the first 404 or 422. Half of such values become real ones, so that
    it gets past those checks into registration, the workflow engine and the public look-ups."""
    path = case.path_parameters if isinstance(case.path_parameters, dict) else {}
    query = case.query if isinstance(case.query, dict) else {}
    body = case.body if isinstance(case.body, dict) else {}
    if _chosen(path.get("case_id")):
        path["case_id"] = _pick(path["case_id"], world.case_ids)
        if isinstance(body.get("version"), int) and not isinstance(body["version"], bool):
            body["version"] = Case.objects.get(pk=path["case_id"]).version
    if _chosen(path.get("slot")):
        path["slot"] = world.slot_id
    if "case_id" in path and _chosen(path.get("code")):
        path["code"] = _pick(path["code"], ACTION_CODES)
        # The body's generated extra keys become the action's own fields, in order.
        extras = [k for k in body if k != "version"]
        for key, field in zip(extras, ACTIONS[path["code"]].fields, strict=False):
            body[field.name] = body.pop(key)
    elif _chosen(path.get("code")):
        path["code"] = world.query_code
    for where in (query, body):
        if _chosen(where.get("phone4")):
            where["phone4"] = PHONE[-4:]
        if _chosen(where.get("case")):
            where["case"] = _pick(where["case"], world.case_ids)
        for name in ("unit", "accused_organisation", "place_organisation"):
            if _chosen(where.get(name)):
                where[name] = _pick(where[name], world.unit_ids)
        if _chosen(where.get("category")):
            where["category"] = world.category_id
    if _chosen(query.get("from")) or _chosen(query.get("to")):  # statistics: a period, both ends required
        query.update({"from": "2026-01-01", "to": "2026-12-31"})
    if body.get("petitioners") == [] and len(body) % 2 == 0:
        body["petitioners"] = [{"name": "张三"}]
    people = body.get("petitioners") if isinstance(body.get("petitioners"), list) else [body]
    for where in (body, *people):
        for name in ("title", "content", "name", "matter"):
            if isinstance(where, dict) and where.get(name) == "":
                where[name] = "反映噪声扰民问题"
    if _chosen(body.get("website")):  # the honeypot, which people leave empty
        body["website"] = ""
    for i, person in enumerate(p for p in people if isinstance(p, dict)):
        if _chosen(person.get("id_number")):
            person["id_number"] = make_id_number("440111", datetime.date(1985, 1, 1), 100 + i)
        if _chosen(person.get("phone")):
            person["phone"] = f"139{i:08d}"


def _call_and_check(case, headers: dict[str, str]):
    response = case.call(headers=headers)
    _tally["operations"].add(case.operation.label)
    _tally["examples"] += 1
    _tally["server_errors"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS)
    return response


FUZZ_SETTINGS = dict(
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible, never flaky
    database=None,
    # explicit: schemathesis' own boundary cases for every parameter (empty, longest, out of range, wrong type)
    # and the methods an operation does not have; generate: max_examples random ones, valid and invalid.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        # The district and its cases are built once per operation and shared by its examples, on purpose.
        HealthCheck.function_scoped_fixture,
    ],
)


@schema.parametrize()
@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
def test_the_api_answers_as_its_schema_declares(case, world):
    _aim(case, world)
    _call_and_check(case, {"Authorization": f"Bearer {world.token}"})


@schema.parametrize()
@settings(max_examples=3, **{**FUZZ_SETTINGS, "phases": [Phase.generate]})
def test_without_credentials_the_staff_operations_answer_a_declared_401(case, db):
    response = _call_and_check(case, {})
    if not case.operation.path.startswith("/api/public/"):
        assert response.status_code == 401, response.text
