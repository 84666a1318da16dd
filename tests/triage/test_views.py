"""The htmx suggestion fragment."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_case, make_user
from xinfang.orgs.roles import Role
from xinfang.triage import services
from xinfang.triage.models import RoutingRule

from .test_services import LETTER

pytestmark = pytest.mark.django_db


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_fragment_shows_categories_units_and_similar_cases(client, district, model_dir):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    accused = district.units[0]
    RoutingRule.objects.create(unit=accused, basis="兜底", priority=900)
    RoutingRule.objects.create(unit=district.units[1], basis="备用兜底", priority=950)
    old = make_case(title="夜间施工噪声", content=LETTER)
    services.index_case(old)
    data = {"title": "", "content": LETTER, "nature": "accusation", "accused_organisation": str(accused.pk)}
    resp = _client(client, registrar).post(reverse("triage:suggest"), data)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "分类建议" in html and "环境保护" in html
    assert f'href="/cases/{old.pk}/"' in html and "<mark>" in html
    assert district.units[1].name in html
    assert accused.name not in html
    top = services.suggest_categories(LETTER)[0].label
    assert f'name="triage_suggested_label" value="{top}"' in html
    assert f'name="triage_suggested_unit" value="{district.units[1].pk}"' in html


def test_a_case_the_registrar_may_not_see_never_names_itself_in_a_unit_reason(client, district, model_dir):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    secret = make_case(title="夜间施工噪声", content=LETTER, unit=district.units[0])
    secret.is_confidential = True
    secret.save(update_fields=["is_confidential"])
    services.index_case(secret)
    open_case = make_case(title="工地噪声", content=LETTER, unit=district.units[1])
    services.index_case(open_case)
    html = _client(client, registrar).post(reverse("triage:suggest"), {"content": LETTER}).content.decode()
    assert open_case.number in html  # a visible similar case does give its unit as a reason
    assert secret.number not in html
    assert district.units[0].name not in html


def test_empty_content_gives_a_hint(client, district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    resp = _client(client, registrar).post(reverse("triage:suggest"), {"content": "  "})
    assert "填写反映内容后" in resp.content.decode()


def test_only_registrars_and_admins_post(client, district):
    handler = make_user(Role.HANDLER, district.units[0])
    c = _client(client, handler)
    assert c.post(reverse("triage:suggest"), {"content": LETTER}).status_code == 403
    assert c.get(reverse("triage:suggest")).status_code == 405


def test_anonymous_is_sent_to_login(client):
    resp = client.post(reverse("triage:suggest"), {"content": LETTER})
    assert resp.status_code == 302
