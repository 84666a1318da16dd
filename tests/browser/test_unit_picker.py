"""The registrar finds a unit by its pinyin initials in the forward form and sends the case there."""

from __future__ import annotations

import pytest

from tests.browser.test_workflow_walk import _open
from tests.factories import PASSWORD, make_case, make_district, make_org, make_user
from xinfang.cases.models import Case
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_pinyin_initials_picks_the_unit(page, live_server, login):
    d = make_district()
    housing = make_org("区住房和城乡建设局", OrgKind.DEPARTMENT, d.root)
    registrar = make_user(Role.REGISTRAR, d.bureau, username="picker_reg")
    case = make_case(registered_by=registrar)
    login(page, live_server, registrar.username, PASSWORD)
    _open(page, live_server, case)
    page.click('details[data-action="forward"] summary')
    page.fill('details[data-action="forward"] .unit-filter', "cxjs")
    assert page.input_value("#id_forward-unit") == str(housing.pk)
    visible = page.eval_on_selector_all(
        "#id_forward-unit option", "os => os.filter(o => !o.hidden && o.value).length"
    )
    assert visible == 1
    groups = page.eval_on_selector_all("#id_forward-unit optgroup", "gs => gs.map(g => g.label)")
    assert groups[:2] == ["区直部门", "镇街"]
    with page.expect_navigation():
        page.click('details[data-action="forward"] button[type=submit]')
    page.wait_for_load_state("networkidle")
    assert Case.objects.get(pk=case.pk).responsible_unit == housing
