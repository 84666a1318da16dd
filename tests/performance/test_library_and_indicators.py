from decimal import Decimal

import pytest

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.orgs.roles import Role
from xinfang.performance.library import STARTER, add_starter_indicators, misplaced, tree
from xinfang.performance.models import Evaluation, FiscalYear, Indicator
from xinfang.performance.services import import_evaluation

from .helpers import evaluation, row

pytestmark = pytest.mark.django_db


def test_cost_branch_placement_follows_the_template():
    assert "成本指标" in tree("level1") and "成本指标" not in tree("output")
    assert "成本指标" in tree("output")["产出指标"]


def test_starter_library_is_added_once_with_statistic_bindings():
    ev = Evaluation.objects.create(year=FiscalYear.objects.create(year=2025))
    assert add_starter_indicators(ev) == len(STARTER)
    assert add_starter_indicators(ev) == 0
    bound = Indicator.objects.get(evaluation=ev, level3="信访事项按期办结率")
    assert bound.binding == "on_time_conclusion_rate" and bound.target == "98" and bound.unit == "%"
    assert misplaced(ev) == []


def test_misplaced_level2_is_reported():
    ev = import_evaluation(evaluation(row(level1="满意度指标", level2="数量指标")))
    assert misplaced(ev) == [
        "第1项指标“区领导重点约访”：二级指标“数量指标”不属于一级指标“满意度指标”（部门整体支出绩效自评表（执行率10分 + 指标90分））"
    ]


def test_indicator_result_form_saves_and_validates(client, district):
    client.force_login(make_user(Role.FINANCE, district.bureau))
    ev = import_evaluation(evaluation(row()))
    ind = ev.indicators.get()
    url = f"/performance/indicators/{ind.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"actual": "18", "claimed_score": "16", "grade": ""})
    assert bad.status_code == 400 and "自评得分不能超过分值" in bad.content.decode()
    bad = client.post(url, {"actual": "18", "claimed_score": "abc", "grade": ""})
    assert "自评得分“abc”不是有效的数字" in bad.content.decode()
    ind.refresh_from_db()
    assert ind.actual == "25"  # nothing changed by the rejected posts
    ok = client.post(
        url,
        {
            "actual": "18",
            "claimed_score": "13.5",
            "grade": "",
            "deviation_reason": "约访对象变更",
            "version": "1",
        },
    )
    assert ok.status_code == 302
    ind.refresh_from_db()
    assert (ind.actual, ind.claimed_score, ind.deviation_reason) == ("18", Decimal("13.50"), "约访对象变更")
    assert AuditEvent.objects.filter(action="performance.indicator_result").count() == 1
    page = client.get(f"/performance/evaluations/{ev.pk}/").content.decode()
    assert "13.50" in page
