"""`manage.py stats --format json` and GET /api/stats/ return the same object; Chinese 422s; unit scoping."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from tests.analytics.conftest import NOW
from tests.factories import make_user
from xinfang.api.auth import issue_token
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
RATE_KEYS = ("timely_acceptance_rate", "on_time_conclusion_rate", "participation_rate", "satisfaction_rate",
             "repeat_rate")  # fmt: skip


def _api(user, **params):
    token = issue_token(user, "测试")
    return Client().get("/api/stats/", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def _command(*args):
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_command_json_and_api_return_the_same_object(march):
    leader = make_user(Role.LEADER, march.unit_a.parent)
    from_api = _api(leader, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert from_api.status_code == 200
    from_command = json.loads(_command("--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"))
    assert from_api.json() == from_command
    for key in RATE_KEYS:
        assert {"value", "numerator", "denominator"} <= set(from_command[key])
    assert from_command["timely_acceptance_rate"]["value"] == "60.00"
    assert from_command["total_count"]["value"] == 6
    assert from_command["first_petition_count"]["value"] == 5


@time_machine.travel(NOW, tick=False)
def test_command_with_unit_and_the_chinese_table(march):
    data = json.loads(_command("--from", "2026-03-01", "--to", "2026-03-31", "--unit", str(march.unit_a.pk),
                               "--format", "json"))  # fmt: skip
    assert data["total_count"]["value"] == 3 and data["period"]["unit_name"] == march.unit_a.name
    table = _command("--from", "2026-03-01", "--to", "2026-03-31")
    assert "及时受理率\t60.00%（3 / 5）" in table
    assert "登记总件数\t6 件" in table and "按信访形式" in table


def test_command_refuses_bad_dates_in_chinese(district):
    with pytest.raises(CommandError, match="开始日期须为日期"):
        _command("--from", "2026-13-01", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="结束日期不能早于开始日期"):
        _command("--from", "2026-03-31", "--to", "2026-03-01")


def test_api_bad_dates_are_422_in_chinese(district):
    leader = make_user(Role.LEADER, district.root)
    r = _api(leader, **{"from": "2026-02-30", "to": "2026-03-31"})
    assert r.status_code == 422
    assert r.json()["errors"]["from"] == ["开始日期须为日期（YYYY-MM-DD）"]
    r = _api(leader, to="2026-03-31")
    assert r.status_code == 422 and r.json()["errors"]["from"] == ["开始日期为必填项"]
    r = _api(leader, **{"from": "2026-04-01", "to": "2026-03-31"})
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.json()["message"]


@time_machine.travel(NOW, tick=False)
def test_unit_users_see_only_their_subtree(march):
    head = make_user(Role.UNIT_HEAD, march.unit_b)
    own = _api(head, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert own.status_code == 200
    # Unit B: c3, c4, c7 registered in March.
    assert own.json()["period"]["unit"] == march.unit_b.pk and own.json()["total_count"]["value"] == 3
    other = _api(head, **{"from": "2026-03-01", "to": "2026-03-31", "unit": march.unit_a.pk})
    assert other.status_code == 403 and other.json()["message"] == "无权查看该单位的统计数据"


def test_finance_and_anonymous_are_refused(district):
    finance = make_user(Role.FINANCE, district.root)
    assert _api(finance, **{"from": "2026-03-01", "to": "2026-03-31"}).status_code == 403
    assert Client().get("/api/stats/", {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 401
