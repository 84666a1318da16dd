"""Each warning type fires with its plain-Chinese reason and its cases; handling closes it with a note."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_case, make_petitioner, make_user
from xinfang.core.errors import ServiceError, ValidationFailed
from xinfang.orgs.roles import Role
from xinfang.supervision import alerts
from xinfang.supervision.models import RiskWord, Warning, WarningKind, WarningStatus

DAY = date(2026, 6, 10)


def only(kind):
    (w,) = Warning.objects.filter(kind=kind)
    return w, sorted(w.cases.values_list("pk", flat=True))


@pytest.mark.django_db
def test_repeat_petitioner(district):
    person = make_petitioner("王小明")
    ids = sorted(make_case(petitioner=person, received=date(2026, 6, d)).pk for d in (1, 5, 9))
    make_case(received=date(2026, 6, 9))  # someone else, once
    assert alerts.detect_warnings(DAY)["warnings_repeat"] == 1
    w, cases = only(WarningKind.REPEAT)
    assert cases == ids and w.reason == "同一信访人（王**）近90日内信访3次"
    assert alerts.detect_warnings(DAY)["warnings_repeat"] == 0


@pytest.mark.django_db
def test_collective_matter_from_one_place_within_seven_days(district):
    town = district.towns[0]
    text = "某某小区业主反映开发商逾期交房，要求退还购房款并赔偿损失"
    ids = [
        make_case(
            place_organisation=town, received=date(2026, 6, 4 + i), title="反映逾期交房", content=text
        ).pk
        for i in range(5)
    ]
    make_case(
        place_organisation=town, received=date(2026, 6, 8), title="反映路灯不亮", content="路灯坏了很久"
    )
    make_case(
        place_organisation=town, received=date(2026, 5, 20), title="反映逾期交房", content=text
    )  # too old
    alerts.detect_warnings(DAY)
    w, cases = only(WarningKind.COLLECTIVE)
    assert cases == sorted(ids)
    assert w.reason.startswith(f"{town.name}7日内有5件反映同一事项的信访（关键词：")


@pytest.mark.django_db
def test_four_similar_petitions_are_not_collective(district):
    for i in range(4):
        make_case(
            place_organisation=district.towns[0], received=date(2026, 6, 5 + i), content="逾期交房要求退款"
        )
    alerts.detect_warnings(DAY)
    assert not Warning.objects.filter(kind=WarningKind.COLLECTIVE).exists()


@pytest.mark.django_db
def test_risk_words_are_matched_on_segmented_text_and_named(district):
    hit = make_case(received=date(2026, 6, 9), content="再不解决我就去跳楼，和他们同归于尽")
    make_case(received=date(2026, 6, 9), content="小区楼道灯不亮")
    alerts.detect_warnings(DAY)
    w, cases = only(WarningKind.RISK_WORDS)
    assert cases == [hit.pk]
    assert w.reason == "信访材料含扬言或极端言辞：跳楼、同归于尽"


@pytest.mark.django_db
def test_the_risk_word_list_is_editable(district):
    RiskWord.objects.create(word="讨说法")
    RiskWord.objects.filter(word="跳楼").update(is_active=False)
    make_case(received=date(2026, 6, 9), content="要去跳楼")
    hit = make_case(received=date(2026, 6, 9), content="一定要讨说法")
    alerts.detect_warnings(DAY)
    w, cases = only(WarningKind.RISK_WORDS)
    assert cases == [hit.pk] and "讨说法" in w.reason


@pytest.mark.django_db
def test_level_skipping_and_to_beijing(district):
    skip = make_case(received=date(2026, 6, 9), is_level_skipping=True)
    beijing = make_case(received=date(2026, 6, 9), is_to_beijing=True)
    alerts.detect_warnings(DAY)
    w1, c1 = only(WarningKind.LEVEL_SKIPPING)
    w2, c2 = only(WarningKind.TO_BEIJING)
    assert (c1, c2) == ([skip.pk], [beijing.pk])
    assert w1.reason.startswith("越级信访") and w2.reason.startswith("进京信访")


@pytest.mark.django_db
def test_hotspot_warning_has_a_readable_label(district):
    from django.utils import timezone

    from xinfang.triage.models import HotSpot

    case = make_case(received=date(2026, 6, 9))
    spot = HotSpot.objects.create(
        computed_at=timezone.now(),
        window_start=date(2026, 5, 11),
        window_end=DAY,
        title="噪声 施工 夜间",
        keywords=["夜间施工", "噪声"],
        places=["第1街道"],
        size=12,
        growth=2.0,
        score=1.0,
        is_warning=True,
        warning_reason="件数较前期增长一倍",
    )
    spot.cases.add(case)
    alerts.detect_warnings(DAY)
    w, cases = only(WarningKind.HOTSPOT)
    assert cases == [case.pk]
    assert w.reason == "信访热点“夜间施工、噪声”（第1街道）：近期12件。件数较前期增长一倍"


@pytest.mark.django_db
def test_a_warning_is_acknowledged_assigned_and_closed_with_a_note(district):
    make_case(received=date(2026, 6, 9), is_to_beijing=True)
    alerts.detect_warnings(DAY)
    w = Warning.objects.get()
    supervisor = make_user(Role.SUPERVISOR, district.bureau)
    leader = make_user(Role.LEADER, district.bureau)
    alerts.acknowledge_warning(w, actor=supervisor)
    alerts.assign_warning(w, actor=supervisor, assignee=leader)
    with pytest.raises(ValidationFailed):
        alerts.close_warning(w, actor=leader, note=" ")
    w = alerts.close_warning(w, actor=leader, note="已劝返并落实稳控措施")
    assert (w.status, w.assignee, w.note) == (WarningStatus.CLOSED, leader, "已劝返并落实稳控措施")
    with pytest.raises(ServiceError):
        alerts.acknowledge_warning(w, actor=supervisor)
    assert alerts.detect_warnings(DAY)["warnings_flags"] == 0


@pytest.mark.django_db
def test_the_daily_risk_scan_reads_new_cases_unless_the_word_list_changed(district):
    """A repeat scan with the same word list reads only the cases registered since the last run (the whole
    window was the sweep's slowest step at 1M cases); a new word sends it back over the whole window."""
    from datetime import timedelta

    from xinfang.supervision.models import RiskScan

    older = make_case(received=date(2026, 6, 5), content="多次反映无果，准备堵门讨说法")
    assert alerts.risk_words(date(2026, 6, 8)) == 0
    scan = RiskScan.objects.get()
    assert scan.last_day == date(2026, 6, 8)
    # The same list the next day: a case registered since is found; the older one is not read again.
    newer = make_case(received=date(2026, 6, 9), content="不解决就去跳楼")
    with CaptureQueriesContext(connection) as ctx:
        assert alerts.risk_words(date(2026, 6, 9)) == 1
    scan_sql = next(q["sql"] for q in ctx.captured_queries if "search_text" in q["sql"])
    assert "registered_at" in scan_sql
    # Registered after that run but dated earlier (an import, a back-dated entry): its higher id gets it read.
    late_entry = make_case(received=date(2026, 6, 6), content="再拖下去就去进京上访")
    assert late_entry.registered_at.date() < date(2026, 6, 9)
    assert alerts.risk_words(date(2026, 6, 9)) == 1
    RiskWord.objects.create(word="堵门")
    assert alerts.risk_words(date(2026, 6, 10)) == 1  # a changed list: the whole window again
    warned = set(Warning.objects.filter(kind=WarningKind.RISK_WORDS).values_list("cases", flat=True))
    assert warned == {older.pk, newer.pk, late_entry.pk}
    assert (
        alerts.risk_words(date(2026, 6, 10) - timedelta(days=3)) == 0
    )  # an earlier day: whole window, nothing new
