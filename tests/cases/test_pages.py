import pytest
from django.test import Client

from tests.cases.helpers import VALID_ID
from tests.factories import PASSWORD, leaf_category, make_case, make_district, make_petitioner, make_user
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _form(**overrides):
    data = {
        "channel": "letter",
        "received_date": "2026-11-02",
        "title": "反映小区噪声扰民",
        "content": "工地夜间施工噪声扰民，请求处理。",
        "requests": "停止夜间施工",
        "category": str(leaf_category().pk),
        "nature": "appeal",
        "headcount": "1",
        "is_first": "on",
        "p-TOTAL_FORMS": "1",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "50",
        "p-0-name": "张伟",
        "p-0-id_type": "resident_id",
        "p-0-id_number": VALID_ID,
        "p-0-phone": "13800138000",
    }
    data.update(overrides)
    return data


def test_registration_page_saves_and_redirects_to_the_case():
    d = make_district()
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    response = client.post("/cases/register/", _form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"


def test_registration_errors_are_chinese_name_the_field_and_keep_what_was_typed():
    d = make_district()
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    body = client.post(
        "/cases/register/", _form(**{"content": "", "p-0-id_number": "110105194912310021"})
    ).content.decode()
    assert "反映内容不能为空" in body and "第1名信访人的身份证号码校验位错误" in body
    assert "反映小区噪声扰民" in body and "110105194912310021" in body  # nothing typed is lost
    assert not Case.objects.exists()


def test_a_bad_date_gets_a_field_named_message():
    d = make_district()
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    body = client.post("/cases/register/", _form(received_date="2026-13-40")).content.decode()
    assert "收到日期格式不正确" in body


def test_handlers_cannot_open_the_registration_page():
    d = make_district()
    assert _client(make_user(Role.HANDLER, d.units[0])).get("/cases/register/").status_code == 403


def test_a_unit_user_gets_404_for_another_units_case_in_page_and_api():
    d = make_district()
    other = make_case(unit=d.units[1])
    client = _client(make_user(Role.HANDLER, d.units[0]))
    assert client.get(f"/cases/{other.pk}/").status_code == 404
    assert client.get(f"/api/cases/{other.pk}").status_code == 404
    assert client.post(f"/cases/{other.pk}/parties/reveal/").status_code == 404


def test_lists_and_pages_mask_identity_numbers():
    d = make_district()
    person = make_petitioner(name="王芳")
    case = make_case(unit=d.units[0], petitioner=person)
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert person.id_number not in detail and person.id_number[:6] + "*" in detail
    assert person.phone not in detail
    api = client.get(f"/api/cases/{case.pk}").content.decode()
    assert person.id_number not in api and person.phone not in api


def test_revealing_identity_is_audited_and_limited_to_roles_that_need_it():
    d = make_district()
    person = make_petitioner()
    case = make_case(unit=d.units[0], petitioner=person)
    registrar = make_user(Role.REGISTRAR, d.bureau)
    body = _client(registrar).post(f"/cases/{case.pk}/parties/reveal/").content.decode()
    assert person.id_number in body
    assert AuditEvent.objects.filter(
        action="case.identity_view", actor=registrar, object_id=str(case.pk)
    ).exists()
    leader = make_user(Role.LEADER, d.bureau)
    assert _client(leader).post(f"/cases/{case.pk}/parties/reveal/").status_code == 403


def test_list_filters_and_chinese_substring_search():
    d = make_district()
    noise = make_case(unit=d.units[0], title="噪声扰民", content="工地夜间施工噪声很大")
    wage = make_case(unit=d.units[1], title="拖欠工资", content="公司拖欠三个月工资", channel="visit")
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    body = client.get("/cases/", {"q": "噪声很大"}).content.decode()
    assert noise.number in body and wage.number not in body
    body = client.get("/cases/", {"channel": "visit"}).content.decode()
    assert wage.number in body and noise.number not in body
    body = client.get("/cases/", {"unit": d.units[0].pk}).content.decode()
    assert noise.number in body and wage.number not in body


def test_overdue_filter_uses_the_running_deadline():
    d = make_district()
    late = make_case(unit=d.units[0], due_date="2020-01-01", status="handling")
    fine = make_case(unit=d.units[0], due_date="2099-01-01", status="handling")
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    body = client.get("/cases/", {"overdue": "on"}).content.decode()
    assert late.number in body and fine.number not in body


def test_keyset_pagination_walks_every_case_once():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    made = {make_case(registered_by=registrar).number for _ in range(45)}
    client = _client(registrar)
    seen, after = [], None
    for _ in range(5):
        data = client.get("/api/cases/", {"after": after} if after else {}).json()
        seen += [r["number"] for r in data["results"]]
        after = data["next_cursor"]
        if not after:
            break
    assert len(seen) == len(set(seen)) == 45 and set(seen) == made
    assert data["count"] == 45 and not data["count_capped"]


def test_list_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    for _ in range(25):
        make_case(registered_by=registrar, unit=d.units[0])
    client = _client(registrar)
    # 16: the audit trail's length is read to key the cached count (selectors.capped_count), and the page reads
    # its ids before its rows (selectors._page_rows).
    with django_assert_max_num_queries(16):
        assert client.get("/cases/").status_code == 200


def test_the_suggestion_shown_at_save_time_is_recorded_for_retraining():
    from xinfang.triage.models import RecordedChoice

    d = make_district()
    client = _client(make_user(Role.REGISTRAR, d.bureau))
    chosen = str(leaf_category().pk)
    client.post(
        "/cases/register/",
        _form(triage_suggested_label="城乡建设", triage_suggested_category=chosen, triage_suggested_unit=""),
    )
    choice = RecordedChoice.objects.get()
    assert choice.accepted_suggestion and choice.suggested_categories[0]["label"] == "城乡建设"
