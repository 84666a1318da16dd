"""The public portal on a 375 px phone: submit, get the code, track; after the staff reply (workflow services on
a controlled clock) evaluate 不满意 and ask for 复查 online."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import leaf_category
from tests.workflow.conftest import people, to_replied  # noqa: F401  (people is a fixture)
from xinfang.cases.identity import make_id_number
from xinfang.core import clock
from xinfang.portal.models import OnlineReviewRequest, PublicAccess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13800001234"


@pytest.fixture
def phone(_browser):
    context = _browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def _fits(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _track(pg, url: str, code: str) -> None:
    pg.goto(f"{url}/portal/track/")
    pg.fill("#id_code", code)
    pg.fill("#id_phone4", PHONE[-4:])
    pg.click("#lookup")


def test_submit_track_evaluate_dissatisfied_and_ask_for_review(phone, live_server, people):  # noqa: F811
    url = live_server.url
    leaf_category()  # transactional tests truncate the migrated categories: reload them
    phone.goto(f"{url}/portal/")
    assert _fits(phone)
    phone.click("#go-submit")
    phone.fill("#id_name", "赵六")
    phone.fill("#id_id_number", make_id_number("440111", datetime.date(1975, 3, 4), 321))
    phone.fill("#id_phone", PHONE)
    phone.fill("#id_address", "示例区某街道8号")
    phone.fill("#id_title", "小区路灯长期不亮")
    phone.fill("#id_content", "小区内路灯已损坏三个月，夜间出行不便，请求维修。")
    phone.fill("#id_requests", "请求尽快维修路灯")
    assert _fits(phone)
    phone.click("#submit")
    code = phone.inner_text("#query-code").strip()
    assert len(code) == 16

    _track(phone, url, code)
    assert phone.inner_text("#public-status") == "已登记"

    case = PublicAccess.objects.select_related("case").get().case
    today = timezone.localdate()
    with clock.at(timezone.now()):
        to_replied(case, people, today, today)

    _track(phone, url, code)
    assert phone.inner_text("#public-status") == "已答复"
    assert "责令施工单位停止夜间施工" in phone.inner_text("#reply-text")
    phone.check("#evaluate-result input[value=dissatisfied]")
    phone.fill("#comment-result", "问题没有解决")
    phone.click("#evaluate-result button[type=submit]")
    hint = phone.inner_text("#review-hint")
    assert "复查" in hint and "申请复查的最后一天" in hint
    assert _fits(phone)

    phone.fill("#id_reason", "路灯仍未修好，请求复查")
    phone.click("#review-form button[type=submit]")
    assert "复查申请已提交" in phone.inner_text("#notice")
    assert OnlineReviewRequest.objects.get(case=case).reason == "路灯仍未修好，请求复查"
    case.refresh_from_db()
    assert case.status == "evaluated"


def test_wrong_code_shows_the_same_message_as_a_wrong_phone(phone, live_server, district):
    phone.goto(f"{live_server.url}/portal/track/")
    phone.fill("#id_code", "ABCDEFGHJKLMNPQR")
    phone.fill("#id_phone4", "0000")
    phone.click("#lookup")
    assert "查询码或手机号后四位不正确" in phone.inner_text("[role=alert]")
