import pytest

from tests.factories import make_case, make_district, make_org, make_user
from xinfang.cases.permissions import is_accused_org, visible_cases
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_unit_users_see_only_cases_routed_to_their_unit():
    d = make_district()
    mine = make_case(unit=d.units[0])
    theirs = make_case(unit=d.units[1])
    handler = make_user(Role.HANDLER, d.units[0])
    assert set(visible_cases(handler)) == {mine}
    assert theirs not in visible_cases(handler)


def test_bureau_roles_see_the_district():
    d = make_district()
    cases = {make_case(unit=d.units[0]), make_case(unit=d.units[1]), make_case()}
    for role in (Role.REGISTRAR, Role.SUPERVISOR, Role.LEADER, Role.AUDITOR):
        assert set(visible_cases(make_user(role, d.bureau))) == cases


def test_finance_sees_no_cases():
    d = make_district()
    make_case(unit=d.units[0])
    assert not visible_cases(make_user(Role.FINANCE, d.bureau)).exists()


def test_an_accusation_never_reaches_the_accused_unit_or_its_parent():
    d = make_district()
    sub = make_org("区第1局下属所", OrgKind.VILLAGE, d.units[0])
    accusation = make_case(unit=d.units[0], nature="accusation", accused_organisation=sub)
    handler = make_user(Role.HANDLER, d.units[0])  # parent of the accused
    assert accusation not in visible_cases(handler)
    assert is_accused_org(accusation, d.units[0]) and is_accused_org(accusation, sub)
    assert not is_accused_org(accusation, d.units[1])
    assert accusation in visible_cases(make_user(Role.REGISTRAR, d.bureau))


def test_a_confidential_case_is_visible_only_to_its_officers_and_the_auditor():
    d = make_district()
    officer = make_user(Role.REGISTRAR, d.bureau)
    colleague = make_user(Role.REGISTRAR, d.bureau)
    case = make_case(is_confidential=True, registered_by=officer)
    case.confidential_officers.add(officer)
    assert case in visible_cases(officer)
    assert case not in visible_cases(colleague)
    assert case in visible_cases(make_user(Role.AUDITOR, d.bureau))
