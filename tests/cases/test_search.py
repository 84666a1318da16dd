"""Finding a case the way staff are asked for it (issue 17 item 1): by case number, 交办编号, and — for roles that
see identities — the petitioner's name, ID number or phone; the page and GET /api/cases/?q= agree, identity
searches are audited with the keys masked, and a unit never finds a case outside its scope."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_case, make_district, make_petitioner, make_user
from xinfang.audit.models import AuditEvent
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    d = make_district()
    registrar = make_user(Role.REGISTRAR, d.bureau)
    wang = make_petitioner("王秀英", serial=41, phone="13911112222")
    cases = {
        "wang": make_case(registered_by=registrar, petitioner=wang, upstream_ref="市交〔2026〕88号"),
        "other": make_case(registered_by=registrar, title="反映拖欠工资", content="某公司拖欠工资三个月。"),
        "routed": make_case(registered_by=registrar, unit=d.units[0], title="道路破损", content="路面坑洼。"),
    }
    return d, registrar, wang, cases


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def page_numbers(client, q) -> list[str]:
    body = client.get("/cases/", {"q": q}).content.decode()
    return sorted(n for n in ("XF-" + part.split("<")[0] for part in body.split(">XF-")[1:]))


def api_numbers(client, q) -> list[str]:
    r = client.get("/api/cases/", {"q": q})
    assert r.status_code == 200
    return sorted(row["number"] for row in r.json()["results"])


def both(client, q) -> list[str]:
    on_page, over_api = page_numbers(client, q), api_numbers(client, q)
    assert on_page == over_api
    return on_page


def test_by_case_number_full_or_without_the_leading_zeros(world):
    _, registrar, _, cases = world
    c = client_for(registrar)
    number = cases["other"].number
    assert both(c, number) == [number]
    assert both(c, number.lower()) == [number]
    year, seq = number.split("-")[1:]
    assert both(c, f"XF-{year}-{int(seq)}") == [number]


def test_by_upstream_reference(world):
    _, registrar, _, cases = world
    assert both(client_for(registrar), "市交〔2026〕88号") == [cases["wang"].number]


def test_by_name_id_number_and_phone_each_audited_with_the_keys_masked(world):
    _, registrar, wang, cases = world
    c = client_for(registrar)
    before = AuditEvent.objects.filter(action="case.search_identity").count()
    assert both(c, "王秀英") == [cases["wang"].number]
    assert both(c, wang.id_number) == [cases["wang"].number]
    assert both(c, wang.id_number.lower()) == [cases["wang"].number]
    assert both(c, "13911112222") == [cases["wang"].number]
    events = list(AuditEvent.objects.filter(action="case.search_identity").order_by("id"))[before:]
    kinds = [e.after["kind"] for e in events]
    assert kinds == ["name", "name", "id_number", "id_number", "id_number", "id_number", "phone", "phone"]
    assert all(e.actor_id == registrar.pk and e.after["cases"] == 1 for e in events)
    logged = " ".join(str(e.after) for e in events)
    assert wang.id_number not in logged and "13911112222" not in logged
    assert "139****2222" in logged


def test_the_list_shows_the_found_petitioner_masked(world):
    _, registrar, wang, _ = world
    body = client_for(registrar).get("/cases/", {"q": wang.id_number}).content.decode()
    table = body[body.index('<table class="grid cases">') :]
    assert "王秀英" in table and wang.id_number not in table


def test_words_still_search_title_and_content(world):
    _, registrar, _, cases = world
    assert both(client_for(registrar), "拖欠工资") == [cases["other"].number]
    assert both(client_for(registrar), "张三丰") == []  # a name nobody has: a text search, no audit row
    assert not AuditEvent.objects.filter(action="case.search_identity", after__query="张三丰").exists()


def test_roles_without_identities_cannot_search_by_them(world):
    d, _, wang, cases = world
    leader = make_user(Role.LEADER, d.bureau)
    c = client_for(leader)
    assert both(c, wang.id_number) == []
    assert both(c, "13911112222") == []
    assert both(c, cases["wang"].number) == [cases["wang"].number]
    assert not AuditEvent.objects.filter(action="case.search_identity", actor=leader).exists()


def test_a_unit_finds_only_cases_routed_to_it(world):
    d, _, _, cases = world
    handler = make_user(Role.HANDLER, d.units[0])
    c = client_for(handler)
    assert both(c, cases["other"].number) == []
    assert both(c, cases["routed"].number) == [cases["routed"].number]
    assert both(c, "王秀英") == []


def test_the_number_without_its_prefix_a_reference_in_any_case_and_a_dictated_id(world):
    _, registrar, wang, cases = world
    c = client_for(registrar)
    number = cases["other"].number
    year, seq = number.split("-")[1:]
    assert both(c, f"{year}-{seq}") == [number]
    assert both(c, seq) == [number]
    assert both(c, str(int(seq))) == [number]
    ref = make_case(registered_by=registrar, upstream_ref="GJ2026747672")
    assert both(c, "gj2026747672") == [ref.number]
    spaced = " ".join(wang.id_number[i : i + 4] for i in range(0, 18, 4))
    assert both(c, spaced) == [cases["wang"].number]


def test_one_and_two_character_words_find_the_cases_that_contain_them(world):
    """Short words are matched by position, not by the trigram index (which has no trigram for them): the same
    cases are found, alone and with a longer word."""
    _, registrar, _, cases = world
    c = client_for(registrar)
    assert both(c, "工资") == [cases["other"].number]
    assert both(c, "坑") == [cases["routed"].number]
    assert both(c, "拖欠 三个月") == [cases["other"].number]
    assert both(c, "工资 坑洼") == []  # every word must be there


def test_a_two_character_name_found_among_petitioners_lists_that_persons_cases(world):
    d, registrar, _, _ = world
    guo = make_petitioner("郭志", serial=42, phone="13911113333")
    own = make_case(registered_by=registrar, petitioner=guo, title="反映噪声", content="夜间施工。")
    mention = make_case(registered_by=registrar, title="反映物业", content="业主郭志强反映物业收费问题。")
    c = client_for(registrar)
    assert both(c, "郭志") == [own.number]  # not the case that mentions 郭志强
    assert both(c, "郭志强") == [mention.number]  # a name nobody has: the words are searched
