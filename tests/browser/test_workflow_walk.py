"""One case from registration to 终结 through the pages: registrar → unit handler → unit head →
review request entered by the registrar → review → re-review → conclusion; the 处理意见书 downloads
as a valid .docx containing the case's request text."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.factories import PASSWORD, leaf_category, make_district, make_user
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REQUEST = "请求责令施工单位停止夜间施工并赔偿损失"


def _open(page, live_server, case) -> None:
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.wait_for_selector("#workflow-panel .workflow-actions, #workflow-panel .no-actions")
    page.wait_for_load_state("networkidle")  # one request at a time: the live server's SQLite locks tables


def _act(page, code: str, fill: dict | None = None, select: dict | None = None) -> None:
    box = f'details[data-action="{code}"]'
    page.wait_for_selector(box)
    page.click(f"{box} summary")
    for name, value in (select or {}).items():
        page.select_option(f"#id_{code}-{name}", value)
    for name, value in (fill or {}).items():
        page.fill(f"#id_{code}-{name}", value)
    with page.expect_navigation():
        page.click(f"{box} button[type=submit]")
    page.wait_for_selector("#workflow-panel .workflow-actions, #workflow-panel .no-actions")
    page.wait_for_load_state("networkidle")  # one request at a time: the live server's SQLite locks tables


def _as(page, live_server, login, user, case) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    login(page, live_server, user.username, PASSWORD)
    _open(page, live_server, case)


def _opinion(code: str) -> tuple[dict, dict]:
    fill = {
        "facts": "经现场核查，工地确有夜间施工，未取得夜间施工许可。",
        "decision_text": "责令施工单位停止夜间施工。",
        "legal_basis": "《中华人民共和国噪声污染防治法》第四十三条",
    }
    return fill, {"decision": "support"}


def test_walk_one_case_from_registration_to_conclusion(page, live_server, login):
    d = make_district()
    leaf_category()
    city = d.root.parent
    registrar = make_user(Role.REGISTRAR, d.bureau, username="walk_reg")
    handler = make_user(Role.HANDLER, d.units[0], username="walk_handler")
    head = make_user(Role.UNIT_HEAD, d.units[0], username="walk_head")
    district_head = make_user(Role.UNIT_HEAD, d.root, username="walk_district")
    city_head = make_user(Role.UNIT_HEAD, city, username="walk_city")
    page.on("dialog", lambda dialog: dialog.accept())

    # Registrar registers the letter and forwards it.
    login(page, live_server, registrar.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/register/")
    page.select_option("#id_channel", "letter")
    page.fill("#id_title", "反映工地夜间施工噪声扰民")
    page.fill("#id_content", "翠湖雅苑旁工地连续一个月夜间施工，噪声扰民，请求处理。")
    page.fill("#id_requests", REQUEST)
    page.select_option("#id_category", index=1)
    page.fill("#id_p-0-name", "张伟")
    page.fill("#id_p-0-id_number", "11010519491231002X")
    page.fill("#id_p-0-phone", "13800138000")
    page.click("button.primary[type=submit]")
    page.wait_for_load_state()
    case = Case.objects.get(title="反映工地夜间施工噪声扰民")
    _open(page, live_server, case)
    _act(page, "forward", select={"unit": str(d.units[0].pk)})
    assert "已转送" in page.inner_text(".status")

    # Unit handler accepts and starts handling; the acceptance notice is on the page.
    _as(page, live_server, login, handler, case)
    _act(page, "accept")
    _act(page, "start_handling")
    assert "受理告知书" in page.inner_text("#workflow-panel")

    # Unit head replies with the handling opinion and downloads it.
    _as(page, live_server, login, head, case)
    fill, select = _opinion("reply")
    _act(page, "reply", fill=fill, select=select)
    assert "已答复" in page.inner_text(".status")
    with page.expect_download() as info:
        page.click("#workflow-panel a:has-text('处理意见书')")
    content = open(info.value.path(), "rb").read()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert REQUEST in text and "法律依据" in text and case.number in text

    # Registrar enters the petitioner's review request; the district reviews.
    _as(page, live_server, login, registrar, case)
    _act(page, "request_review", fill={"reason": "对处理意见不服，要求赔偿"}, select={"body": str(d.root.pk)})
    _as(page, live_server, login, district_head, case)
    fill, select = _opinion("review_opinion")
    _act(page, "review_opinion", fill=fill, select=select)

    # Re-review at the city, then conclusion.
    _as(page, live_server, login, registrar, case)
    _act(page, "request_rereview", fill={"reason": "对复查意见不服"}, select={"body": str(city.pk)})
    _as(page, live_server, login, city_head, case)
    fill, select = _opinion("rereview_opinion")
    _act(page, "rereview_opinion", fill=fill, select=select)
    _as(page, live_server, login, registrar, case)
    _act(page, "conclude")

    case.refresh_from_db()
    assert case.status == "concluded" and case.concluded_at is not None
    timeline = page.inner_text(".timeline")
    for label in (
        "登记",
        "转送",
        "受理",
        "答复",
        "录入复查申请",
        "出具复查意见",
        "录入复核申请",
        "出具复核意见",
        "终结",
    ):
        assert label in timeline
    assert case.documents.filter(doc_type="handling_opinion").count() == 1
    assert "文书：信访事项处理意见书" in timeline
