"""/cases/export.xlsx (the list's filters, masked identities, typed cells, audited) and the statistics .xlsx."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from tests.analytics.conftest import NOW
from tests.factories import make_case, make_petitioner, make_user
from xinfang.audit.models import AuditEvent
from xinfang.cases.choices import Channel
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_case_export_applies_the_list_filters_masks_ids_and_types_cells(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    person = make_petitioner("王五")
    visit = make_case(registered_by=registrar, channel=Channel.VISIT, petitioner=person, headcount=7,
                      received=date(2026, 3, 2), unit=district.units[0])  # fmt: skip
    make_case(registered_by=registrar, channel=Channel.LETTER, received=date(2026, 3, 3))
    wb = _sheet(_client(registrar).get("/cases/export.xlsx", {"channel": "visit"}))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("信访件编号", "登记时间", "收到日期") and "证件号码" in rows[0]
    assert len(rows) == 2 and rows[1][0] == visit.number
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["证件号码"] != person.id_number and "*" in row["证件号码"]
    assert row["证件号码"][:6] == person.id_number[:6]
    assert "*" in row["联系电话"]
    assert (
        row["人数"] == 7
        and isinstance(row["收到日期"], datetime)
        and row["收到日期"].date() == date(2026, 3, 2)
    )
    assert isinstance(row["登记时间"], datetime)
    event = AuditEvent.objects.filter(action="cases.export").get()
    assert (
        event.actor_id == registrar.pk
        and event.after["rows"] == 1
        and event.after["filters"]["channel"] == "visit"
    )


def test_case_export_has_no_row_cap_and_respects_visibility(district, settings):
    settings.XINFANG = {**settings.XINFANG, "LIST_COUNT_CAP": 2}
    registrar = make_user(Role.REGISTRAR, district.bureau)
    for _ in range(4):
        make_case(registered_by=registrar, unit=district.units[0])
    make_case(registered_by=registrar, unit=district.units[1])
    assert wb_rows(_client(registrar).get("/cases/export.xlsx")) == 5
    handler = make_user(Role.HANDLER, district.units[1])
    assert wb_rows(_client(handler).get("/cases/export.xlsx")) == 1
    assert Client().get("/cases/export.xlsx").status_code == 302


def wb_rows(response) -> int:
    return _sheet(response).active.max_row - 1


@time_machine.travel(NOW, tick=False)
def test_statistics_table_export(march):
    leader = make_user(Role.LEADER, march.unit_a.parent)
    wb = _sheet(_client(leader).get("/dashboard/stats.xlsx", {"from": "2026-03-01", "to": "2026-03-31"}))
    figures = {r[0]: r[1:] for r in wb["主要指标"].iter_rows(min_row=3, values_only=True)}
    assert figures["及时受理率"] == (60.0, "%", 3, 5)
    assert figures["登记总件数"][0] == 6
    channels = {r[0]: r[1] for r in wb["按信访形式"].iter_rows(min_row=2, values_only=True)}
    assert channels == {"来信": 4, "来访": 1, "网上信访": 1}
    assert AuditEvent.objects.filter(action="analytics.export_stats").exists()
