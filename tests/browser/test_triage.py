"""Typing a letter on the registration page shows category and unit suggestions and similar cases within a second."""

import pytest

from tests.factories import PASSWORD, leaf_category, make_case, make_district, make_user
from xinfang.cases.models import Category
from xinfang.orgs.roles import Role
from xinfang.triage import services, store, text
from xinfang.triage.models import CategoryMapping, RoutingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = "我家小区旁边的建筑工地连续一个月夜间施工，噪声扰民严重，老人孩子无法休息，多次打电话没有结果，请求依法查处"


def test_typing_content_shows_suggestions_within_a_second(page, live_server, login):
    d = make_district()
    leaf_category()
    target = Category.objects.filter(parent__isnull=False).order_by("code").last()
    CategoryMapping.objects.create(label="环境保护", category=target)
    RoutingRule.objects.create(category=target, unit=d.units[1], basis="三定方案：环境噪声监管")
    RoutingRule.objects.create(unit=d.units[0], basis="兜底", priority=900)
    old = make_case(title="工地夜间施工噪声扰民", content=LETTER.replace("一个月", "两周"))
    services.index_case(old)
    make_user(Role.REGISTRAR, d.bureau, username="reg_triage")
    # The server process loads the model and the dictionary once at its first suggestion; do it up front.
    store.load(store.SHIPPED_MODEL)
    text.words("预热")

    login(page, live_server, "reg_triage", PASSWORD)
    page.goto(f"{live_server.url}/cases/register/")
    page.fill("#id_title", "工地夜间施工噪声扰民")
    page.fill("#id_content", LETTER)
    page.wait_for_selector("#triage-suggestions .triage-categories li[data-label]", timeout=1000)
    panel = page.locator("#triage-suggestions")
    categories = panel.locator(".triage-categories").inner_text()
    assert str(target) in categories and "%" in categories and "依据" in categories
    assert d.units[1].name in panel.locator(".triage-units").inner_text()
    link = panel.locator(f'.triage-similar a[href="/cases/{old.pk}/"]')
    assert link.count() == 1
    assert panel.locator(".triage-similar mark").count() >= 1

    panel.locator(f'button.adopt-category[data-category="{target.pk}"]').click()
    assert page.input_value("#id_category") == str(target.pk)
