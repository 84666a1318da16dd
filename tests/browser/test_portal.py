"""The public portal on a 375 px phone: submit, get the code, track; after the staff reply (workflow services on
a controlled clock) evaluate 不满意 and ask for 复查 online."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import leaf_category, make_user
from tests.workflow.conftest import people, to_replied  # noqa: F401  (people is a fixture)
from xinfang.cases.identity import make_id_number
from xinfang.core import clock
from xinfang.orgs.roles import Role
from xinfang.portal.models import OnlineReviewRequest, PublicAccess
from xinfang.supervision import receptions
from xinfang.supervision.models import ReceptionBooking, ReceptionSchedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13800001234"


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


def test_book_a_leaders_reception_on_a_phone(phone, live_server, district):
    leader = make_user(Role.LEADER, district.bureau)
    leader.display_name = "王区长"
    leader.save(update_fields=["display_name"])
    sched = ReceptionSchedule.objects.create(
        leader=leader, title="接访日", weekdays="1234567", skip_rest_days=False,
        start=datetime.time(9), end=datetime.time(11, 30), place="区信访局接待大厅", capacity=3,
    )  # fmt: skip
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first, *_ = receptions.publish_slots(sched, start=tomorrow, weeks=1)

    phone.goto(f"{live_server.url}/portal/")
    phone.click("#go-receptions")
    assert "王区长" in phone.inner_text(f"#slot-{first.pk}") and _fits(phone)
    phone.click(f"#slot-{first.pk} a")
    phone.fill("#id_name", "钱七")
    phone.fill("#id_id_number", make_id_number("440111", datetime.date(1968, 7, 8), 456))
    phone.fill("#id_phone", "13700007777")
    phone.fill("#id_matter", "反映拆迁安置房迟迟未交付")
    assert _fits(phone)
    phone.click("#submit")
    assert phone.inner_text("#booked") == "预约成功，请按时携带身份证件到场"
    booking = ReceptionBooking.objects.get()
    assert phone.inner_text("#booking-number") == str(booking.pk)
    assert (booking.slot_id, booking.name, booking.source) == (first.pk, "钱七", "public")
    first.refresh_from_db()
    assert first.booked == 1

    # The same person again on the same slot: told so in Chinese, the form kept.
    phone.goto(f"{live_server.url}/portal/receptions/{first.pk}/")
    phone.fill("#id_name", "钱七")
    phone.fill("#id_id_number", make_id_number("440111", datetime.date(1968, 7, 8), 456))
    phone.fill("#id_phone", "13700007777")
    phone.fill("#id_matter", "再次预约")
    phone.click("#submit")
    assert "您已预约该场次，请勿重复预约" in phone.inner_text("[role=alert]")
    assert phone.input_value("#id_matter") == "再次预约" and _fits(phone)
