"""The Django admin is no way round visible_cases: an administrator who cannot open a confidential case
does not see its triage choice, documents, workflow records or audit events there either."""

import pytest
from django.test import Client

from tests.factories import leaf_category, make_case, make_district, make_user
from xinfang.audit.models import AuditEvent
from xinfang.audit.services import record
from xinfang.cases.models import CaseDocument
from xinfang.orgs.roles import Role
from xinfang.triage.models import RecordedChoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    d = make_district()
    officer = make_user(Role.REGISTRAR, d.bureau)
    admin_user = make_user(Role.ADMIN, d.bureau)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    secret = make_case(registered_by=officer, is_confidential=True, title="保密事项")
    secret.confidential_officers.add(officer)
    open_case = make_case(registered_by=officer, title="普通事项")
    for case in (secret, open_case):
        RecordedChoice.objects.create(case=case, text=case.title, category=leaf_category(), actor=officer)
        CaseDocument.objects.create(
            case=case, doc_type="notice", title=f"{case.title}告知书", filename="a.docx", content=b"x",
            sha256="0" * 64, created_by=officer,
        )  # fmt: skip
        record("case.register", actor=officer, obj=case, after={"title": case.title})
    client = Client()
    client.force_login(admin_user)
    return client, secret, open_case


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {getattr(obj, "case_id", None) or obj.object_id for obj in response.context["cl"].result_list}


def test_admin_lists_leave_out_confidential_cases(setting):
    client, secret, open_case = setting
    assert _listed(client, "/admin/triage/recordedchoice/") == {open_case.pk}
    assert _listed(client, "/admin/cases/casedocument/") == {open_case.pk}
    assert _listed(client, "/admin/audit/auditevent/?action=case.register") == {str(open_case.pk)}


def test_admin_pages_of_a_confidential_case_s_rows_do_not_open(setting):
    client, secret, _ = setting
    choice = RecordedChoice.objects.get(case=secret)
    document = CaseDocument.objects.get(case=secret)
    event = AuditEvent.objects.get(action="case.register", object_id=str(secret.pk))
    for url in (
        f"/admin/triage/recordedchoice/{choice.pk}/change/",
        f"/admin/cases/casedocument/{document.pk}/change/",
        f"/admin/audit/auditevent/{event.pk}/change/",
    ):
        response = client.get(url, follow=True)
        assert "保密事项" not in response.content.decode(), url


def test_the_designated_officer_sees_them_through_the_admin(setting):
    client, secret, open_case = setting
    officer = secret.confidential_officers.get()
    officer.is_staff = officer.is_superuser = True
    officer.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(officer)
    assert _listed(client, "/admin/triage/recordedchoice/") == {secret.pk, open_case.pk}


def test_every_case_scoped_admin_list_opens(setting):
    client, *_ = setting
    for path in (
        "cases/extension", "cases/reviewrequest", "cases/hearing", "cases/caseopinion",
        "supervision/reporttask", "supervision/letter", "supervision/backlogitem",
        "portal/evaluation",
    ):  # fmt: skip
        assert client.get(f"/admin/{path}/").status_code == 200, path
