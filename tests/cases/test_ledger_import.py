"""The ledger (台账) import: .xlsx and .csv, validated as registration validates, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from tests.cases.helpers import VALID_ID
from tests.factories import leaf_category, make_district, make_petitioner, make_user
from xinfang.analytics.models import CaseRollupState, CohortRollup, DailyCaseRollup
from xinfang.audit.models import AuditEvent
from xinfang.audit.services import verify_chain
from xinfang.cases import ledger
from xinfang.cases.identity import make_id_number
from xinfang.cases.ledger import LedgerRejected
from xinfang.cases.ledger_write import import_ledger
from xinfang.cases.models import Case, CaseEvent, CasePetitioner, Petitioner
from xinfang.core.errors import ServiceError
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    return make_user(Role.REGISTRAR, make_district().bureau)


def ledger_rows(n: int = 3, **overrides) -> list[dict]:
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    rows = []
    for i in range(n):
        row = {
            "收到日期": day, "信访形式": "来信", "标题": f"反映小区噪声扰民{i}",
            "反映内容": f"翠湖雅苑旁工地夜间施工，噪声扰民（第{i}栋）。", "诉求": "请求停止夜间施工",
            "内容分类": leaf_category().code, "信访目的": "申诉求决", "信访人姓名": f"张伟{i}",
            "证件号码": make_id_number("110105", timezone.localdate().replace(year=1970), 300 + i),
            "联系电话": f"1380013{i:04d}", "地址": "示例区某街道1号",
        }  # fmt: skip
        row.update(overrides)
        rows.append(row)
    return rows


def as_csv(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def as_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def counts() -> tuple[int, ...]:
    return (Case.objects.count(), CaseEvent.objects.count(), Petitioner.objects.count(),
            CasePetitioner.objects.count(), AuditEvent.objects.count(), CaseRollupState.objects.count())  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_a_csv_registers_every_row_with_number_event_petitioner_audit_and_rollups(registrar, encoding):
    outcome = import_ledger(actor=registrar, content=as_csv(ledger_rows(3), encoding), filename="台账.csv")
    assert outcome.created == 3 and outcome.skipped == []
    cases = list(Case.objects.order_by("seq"))
    year = timezone.localdate().year
    assert [c.number for c in cases] == [f"XF-{year}-{c.seq:06d}" for c in cases]
    assert outcome.first_number == cases[0].number and outcome.last_number == cases[-1].number
    assert [c.seq for c in cases] == [cases[0].seq, cases[0].seq + 1, cases[0].seq + 2]
    case = cases[1]
    assert case.title == "反映小区噪声扰民1" and case.status == "registered" and case.triage_due_date
    assert case.search_text.startswith("反映小区噪声扰民1\n") and len(case.query_code) == 8
    event = case.events.get()
    assert (event.action, event.case_year, event.actor_id) == ("register", case.year, registrar.pk)
    assert event.data["import_key"].startswith("row:")
    assert case.parties.get().petitioner.name == "张伟1"
    audit = AuditEvent.objects.get(action="case.register", object_id=str(case.pk))
    assert audit.after["number"] == case.number and "110105" in str(audit.after)
    batch = AuditEvent.objects.get(action="case.import")
    assert batch.after["created"] == 3 and len(batch.after["sha256"]) == 64
    assert verify_chain().ok
    assert sum(DailyCaseRollup.objects.values_list("registered", flat=True)) == 3
    assert CaseRollupState.objects.count() == 3
    assert sum(CohortRollup.objects.filter(kind="registered").values_list("total", flat=True)) == 3


def test_an_xlsx_imports_and_the_same_file_twice_adds_nothing(registrar):
    content = as_xlsx(ledger_rows(2))
    assert import_ledger(actor=registrar, content=content).created == 2
    before = counts()
    again = import_ledger(actor=registrar, content=content)
    assert again.created == 0 and again.skipped == [2, 3]
    assert counts()[:4] == before[:4]


def test_a_longer_ledger_adds_only_its_new_rows_and_upstream_refs_are_keys(registrar):
    rows = ledger_rows(2, 信访形式="上级交办", 交办层级="省")
    rows[0]["上级交办编号"], rows[1]["上级交办编号"] = "SJ-2026-001", "SJ-2026-002"
    import_ledger(actor=registrar, content=as_csv(rows[:1]))
    rows[0]["标题"] = "同一交办件，标题改写"  # the reference, not the wording, identifies it
    outcome = import_ledger(
        actor=registrar, content=as_csv([{**rows[0], "上级交办编号": "sj-2026-001"}, rows[1]])
    )
    assert outcome.created == 1 and outcome.skipped == [2]
    assert Case.objects.filter(upstream_ref="SJ-2026-002").exists()


def test_a_reference_stored_in_mixed_case_is_found_again_in_any_case(registrar):
    rows = ledger_rows(1, 信访形式="上级交办", 交办层级="省", 上级交办编号="Sj-2026-007")
    import_ledger(actor=registrar, content=as_csv(rows))
    for typed in ("Sj-2026-007", "SJ-2026-007", "sj-2026-007"):
        again = import_ledger(actor=registrar, content=as_csv([{**rows[0], "上级交办编号": typed}]))
        assert again.created == 0 and again.skipped == [2], typed
    assert Case.objects.count() == 1


def test_a_row_repeating_an_earlier_row_of_the_file_points_at_the_most_similar_one(registrar):
    rows = ledger_rows(3)
    same = {
        "证件号码": rows[0]["证件号码"],
        "信访人姓名": rows[0]["信访人姓名"],
        "联系电话": rows[0]["联系电话"],
    }
    rows[0]["反映内容"] = "某公司拖欠农民工工资三个月，多次讨要未果。"
    rows[1].update(same, 反映内容="小区旁工地夜间施工，噪声扰民，请求处理。")
    rows[2].update(same, 反映内容="小区旁工地夜间施工，噪声扰民，请求处理。")
    import_ledger(actor=registrar, content=as_csv(rows))
    first, second, third = Case.objects.order_by("seq")
    register = CaseEvent.objects.get(case=third, action="register")
    assert (
        third.is_repeat_suspect and register.data["earlier_case"] == second.pk
    )  # the same complaint, not row 2
    assert CaseEvent.objects.get(case=second, action="register").data["earlier_case"] == first.pk


def test_bad_rows_reject_the_whole_file_with_each_rows_chinese_error(registrar):
    rows = ledger_rows(5)
    rows[1]["证件号码"] = "110105194912310021"  # wrong check digit
    rows[2]["收到日期"] = "明天"
    rows[3]["内容分类"] = "不存在的分类"
    rows[4]["标题"] = ""
    before = counts()
    with pytest.raises(LedgerRejected) as exc:
        import_ledger(actor=registrar, content=as_csv(rows))
    errors = exc.value.errors
    assert any(e.startswith("第3行：") and "校验位" in e for e in errors), errors
    assert any(e.startswith("第4行：") and "不是有效日期" in e for e in errors), errors
    assert any(e.startswith("第5行：") and "内容分类" in e for e in errors), errors
    assert "第6行：“标题”不能为空" in errors, errors
    assert not any(e.startswith("第2行") for e in errors)
    # One message a problem: validation's own wording of a column already named (a blank title, an unknown
    # category, an unreadable date) is not repeated.
    assert len(errors) == 4, errors
    assert counts() == before


def test_the_same_row_twice_in_one_file_is_an_error(registrar):
    rows = ledger_rows(1)
    with pytest.raises(LedgerRejected) as exc:
        import_ledger(actor=registrar, content=as_csv(rows + rows))
    assert exc.value.errors == ["第3行：与第2行重复（各项内容完全相同）"]


def test_a_missing_column_is_named(registrar):
    rows = [{k: v for k, v in r.items() if k != "信访目的"} for r in ledger_rows(1)]
    with pytest.raises(LedgerRejected) as exc:
        import_ledger(actor=registrar, content=as_csv(rows))
    assert "信访目的" in exc.value.errors[0]


def test_a_known_id_number_reuses_the_petitioner_and_flags_a_repeat(registrar):
    person = make_petitioner("李四")
    rows = ledger_rows(2, 证件号码=person.id_number, 信访人姓名="李四")
    rows[1]["联系电话"] = "13912345678"
    import_ledger(actor=registrar, content=as_csv(rows))
    assert Petitioner.objects.filter(id_number=person.id_number).count() == 1
    person.refresh_from_db()
    assert person.phone == "13912345678"
    second = Case.objects.order_by("seq").last()
    assert second.is_repeat_suspect and "请核实是否为重复信访" in second.repeat_reason


def test_a_handler_may_not_import(registrar):
    handler = make_user(Role.HANDLER, registrar.organisation.parent.children.exclude(kind="bureau").first())
    with pytest.raises(ServiceError):
        import_ledger(actor=handler, content=as_csv(ledger_rows(1)))


def test_the_template_has_an_empty_data_sheet_and_instructions_whose_example_imports(registrar):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(ledger.template()))
    data, guide = wb["信访台账"], wb["填写说明"]
    header = [c.value for c in data[1]]
    assert header[0] == "收到日期*" and "上级交办编号" in header and "证件号码" in header
    assert data.max_row == 1 or all(c.value is None for row in data.iter_rows(min_row=2) for c in row)
    id_column = header.index("证件号码") + 1
    assert data.cell(row=2, column=id_column).number_format == "@"  # typed IDs stay text in Excel

    lines = [[c.value for c in row] for row in guide.iter_rows()]
    example = lines[lines.index(list(ledger.HEADERS)) + 1]
    assert VALID_ID in example and leaf_category().code in {line[0] for line in lines if line}
    sheet = Workbook()
    sheet.active.append(header)
    sheet.active.append(example)
    buf = io.BytesIO()
    sheet.save(buf)
    assert import_ledger(actor=registrar, content=buf.getvalue(), filename="台账.xlsx").created == 1


def test_an_id_number_excel_turned_into_a_number_is_refused(registrar):
    rows = ledger_rows(1)
    rows[0]["证件号码"] = (
        110105197001010300  # what Excel keeps of an 18-digit number typed into a number cell
    )
    with pytest.raises(LedgerRejected) as refused:
        import_ledger(actor=registrar, content=as_xlsx(rows), filename="台账.xlsx")
    assert "第2行：“证件号码”须以文本格式填写" in refused.value.errors[0]
    assert Case.objects.count() == 0


def test_a_file_named_xlsx_that_is_no_workbook_is_named_so(registrar):
    with pytest.raises(LedgerRejected) as refused:
        import_ledger(actor=registrar, content="收到日期,标题\n".encode(), filename="台账.xlsx")
    assert "不是有效的 .xlsx 工作簿" in refused.value.errors[0]


def test_the_summary_counts_rows_already_past_their_triage_deadline(registrar):
    old = (timezone.localdate() - timedelta(days=60)).isoformat()
    rows = ledger_rows(3)
    rows[0]["收到日期"] = rows[1]["收到日期"] = old
    outcome = import_ledger(actor=registrar, content=as_csv(rows))
    assert outcome.created == 3 and outcome.overdue == 2


# --- the registrar's page and the command ---------------------------------------------------------------


def _client(user):
    from django.test import Client

    from tests.factories import PASSWORD

    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_registrar_uploads_a_ledger_and_sees_the_summary(registrar):
    client = _client(registrar)
    page = client.get("/cases/")
    assert "批量导入台账" in page.content.decode()
    response = client.post("/cases/import/", {"file": _upload(as_xlsx(ledger_rows(2)), "台账.xlsx")})
    body = response.content.decode()
    first, last = Case.objects.order_by("seq").values_list("number", flat=True)
    assert response.status_code == 200 and "新登记 2 件" in body and first in body and last in body


def test_a_bad_ledger_shows_each_rows_error_and_writes_nothing(registrar):
    rows = ledger_rows(2)
    rows[1]["信访形式"] = "飞鸽传书"
    response = _client(registrar).post("/cases/import/", {"file": _upload(as_csv(rows, "gbk"), "台账.csv")})
    body = response.content.decode()
    assert response.status_code == 400 and "导入失败，未导入任何数据" in body
    assert "第3行：“信访形式”的值“飞鸽传书”无法识别" in body
    assert Case.objects.count() == 0


def test_a_units_registrar_may_register_but_not_import_and_is_not_offered_it(registrar):
    unit = registrar.organisation.parent.children.exclude(kind="bureau").first()
    unit_registrar = make_user(Role.REGISTRAR, unit)
    client = _client(unit_registrar)
    assert "批量导入台账" not in client.get("/cases/").content.decode()
    assert "批量导入台账" not in client.get("/cases/register/").content.decode()
    assert client.get("/cases/import/").status_code == 403
    with pytest.raises(ServiceError, match="仅限信访局登记人员"):
        import_ledger(actor=unit_registrar, content=as_csv(ledger_rows(1)))
    assert "批量导入台账" in _client(registrar).get("/cases/register/").content.decode()


def test_a_handler_gets_403_on_the_page_and_the_template(registrar):
    unit = registrar.organisation.parent.children.exclude(kind="bureau").first()
    client = _client(make_user(Role.HANDLER, unit))
    assert client.get("/cases/import/").status_code == 403
    assert (
        client.post("/cases/import/", {"file": _upload(as_csv(ledger_rows(1)), "a.csv")}).status_code == 403
    )
    assert client.get("/cases/import/template.xlsx").status_code == 403
    assert Case.objects.count() == 0


def test_the_template_downloads_and_opens(registrar):
    from openpyxl import load_workbook

    response = _client(registrar).get("/cases/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    assert header[:3] == ["收到日期*", "信访形式*", "标题*"]


def test_the_command_imports_with_the_same_service(registrar, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "台账.csv"
    path.write_bytes(as_csv(ledger_rows(2)))
    out = io.StringIO()
    call_command("import_cases", str(path), user=registrar.username, stdout=out)
    assert "新登记 2 件" in out.getvalue() and Case.objects.count() == 2
    rows = ledger_rows(1, 标题="")
    path.write_bytes(as_csv(rows))
    with pytest.raises(CommandError, match="第2行：“标题”不能为空"):
        call_command("import_cases", str(path), user=registrar.username)


def test_each_imported_case_has_the_audit_record_registration_writes(registrar):
    from xinfang.audit.services import _canonical
    from xinfang.cases.services import audit_snapshot

    import_ledger(actor=registrar, content=as_csv(ledger_rows(1)))
    case = Case.objects.get()
    trail = AuditEvent.objects.get(action="case.register", object_id=str(case.pk))
    assert trail.after == _canonical(audit_snapshot(case))
    assert "*" in trail.after["petitioners"][0]["id"]  # masked, as registration masks it
