"""Fixtures for workflow tests: one district with bureau, two units, and users at every level."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_case, make_user
from xinfang.cases.workflow import actions as tr
from xinfang.orgs.models import Organisation
from xinfang.orgs.roles import Role

TZ = ZoneInfo("Asia/Shanghai")


def today_is(y: int, m: int, d: int):
    """Freeze 'today' (the services refuse event dates in the future)."""
    return time_machine.travel(datetime.datetime(y, m, d, 15, 0, tzinfo=TZ), tick=False)


@dataclass
class People:
    registrar: object
    handler: object
    head: object
    other_handler: object
    district_head: object  # the review body (district government) for a district department
    city_head: object  # the re-review body (city) above the district
    unit: Organisation
    other_unit: Organisation
    district: Organisation
    city: Organisation


@pytest.fixture
def people(district) -> People:
    unit, other = district.units[0], district.units[1]
    city = district.root.parent
    return People(
        registrar=make_user(Role.REGISTRAR, district.bureau),
        handler=make_user(Role.HANDLER, unit),
        head=make_user(Role.UNIT_HEAD, unit),
        other_handler=make_user(Role.HANDLER, other),
        district_head=make_user(Role.UNIT_HEAD, district.root),
        city_head=make_user(Role.UNIT_HEAD, city),
        unit=unit,
        other_unit=other,
        district=district.root,
        city=city,
    )


def opinion(**overrides) -> dict:
    data = dict(
        request_text="请求停止夜间施工",
        facts="经现场核查，工地夜间施工属实，未办理夜间施工许可。",
        decision="support",
        decision_text="责令施工单位停止夜间施工。",
        legal_basis="《中华人民共和国噪声污染防治法》第四十三条",
    )
    data.update(overrides)
    return data


def new_case(people: People, received: datetime.date, **fields):
    return make_case(registered_by=people.registrar, received=received, **fields)


def to_handling(case, p: People, forwarded: datetime.date, accepted: datetime.date):
    case = tr.forward_case(case, p.registrar, version=case.version, unit=p.unit, on=forwarded)
    case = tr.accept_case(case, p.handler, version=case.version, on=accepted)
    return tr.start_handling(case, p.handler, version=case.version, on=accepted)


def to_replied(case, p: People, start: datetime.date, served: datetime.date):
    case = to_handling(case, p, start, start)
    return tr.reply_case(case, p.head, version=case.version, served_on=served, **opinion())


def to_reviewed(
    case, p: People, start: datetime.date, served: datetime.date, received: datetime.date, reviewed
):
    case = to_replied(case, p, start, served)
    case = tr.request_review(
        case, p.registrar, version=case.version, body=p.district, received_on=received, reason="不服处理意见"
    )
    return tr.review_case(case, p.district_head, version=case.version, served_on=reviewed, **opinion())
