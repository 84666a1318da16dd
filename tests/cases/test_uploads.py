"""Attachments across a failed submit and their downloads (issue 17 item 4): one round of errors (fields and
files together), files already chosen are kept as pending uploads and saved with the case, nobody else's
pending file can be claimed, downloads only for those who may see the case, each one audited."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.test_pages import _client, _form
from tests.factories import make_case, make_district, make_user, tiny_pdf
from xinfang.audit.models import AuditEvent
from xinfang.cases import uploads
from xinfang.cases.models import Attachment, Case, PendingUpload
from xinfang.core import clock
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db
PDF = tiny_pdf()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def district():
    return make_district()


def pdf(name="现场照片说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_failed_registration_keeps_its_files_and_shows_every_error_at_once(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    c = _client(registrar)
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 an exe", content_type="image/jpeg")
    r = c.post("/cases/register/", {**_form(title=""), "attachments": [pdf(), fake]})
    body = r.content.decode()
    assert r.status_code == 200 and not Case.objects.exists()
    assert re.findall(r'class="error">([^<]+)', body) == [
        "标题不能为空",
        "附件“照片.jpg”的内容与扩展名不符，疑似伪装文件",
    ]
    (kept,) = PendingUpload.objects.all()
    assert kept.original_name == "现场照片说明.pdf" and f'name="pending" value="{kept.pk}"' in body

    r = c.post("/cases/register/", {**_form(), "pending": [str(kept.pk)]})
    assert r.status_code == 302
    case = Case.objects.get()
    (att,) = case.attachments.all()
    assert att.original_name == "现场照片说明.pdf" and att.file.read() == PDF
    assert not PendingUpload.objects.exists()


def test_a_pending_file_unticked_is_not_saved_and_anothers_cannot_be_claimed(district):
    registrar, other = make_user(Role.REGISTRAR, district.bureau), make_user(Role.REGISTRAR, district.bureau)
    _client(other).post("/cases/register/", {**_form(title=""), "attachments": [pdf("他人的材料.pdf")]})
    theirs = PendingUpload.objects.get()
    r = _client(registrar).post("/cases/register/", {**_form(), "pending": [str(theirs.pk)]})
    assert r.status_code == 302
    assert not Attachment.objects.exists()  # the other registrar's file stays theirs
    assert PendingUpload.objects.filter(pk=theirs.pk).exists()
    # Their own kept file, unticked on the next submit (no "pending" sent back): the case is saved without it.
    c = _client(other)
    r = c.post("/cases/register/", {**_form(title="反映噪声")})
    assert r.status_code == 302 and not Case.objects.get(title="反映噪声").attachments.exists()


def test_downloads_are_for_those_who_see_the_case_and_are_audited(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    _client(registrar).post("/cases/register/", {**_form(), "attachments": [pdf()]})
    case, att = Case.objects.get(), Attachment.objects.get()
    detail = _client(registrar).get(f"/cases/{case.pk}/").content.decode()
    url = f"/cases/{case.pk}/attachments/{att.pk}/"
    assert f'href="{url}"' in detail

    r = _client(registrar).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert "attachment;" in r["Content-Disposition"] and r["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="attachment.download")
    assert event.actor_id == registrar.pk and event.after["case"] == case.number

    outsider = make_user(Role.HANDLER, district.units[1])
    assert _client(outsider).get(url).status_code == 404
    assert _client(registrar).get(f"/cases/{case.pk}/attachments/{att.pk + 1}/").status_code == 404
    assert AuditEvent.objects.filter(action="attachment.download").count() == 1


def test_pending_files_nobody_came_back_for_are_purged_after_a_day(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    (old,), _ = uploads.keep(registrar, [pdf("旧.pdf")])
    PendingUpload.objects.filter(pk=old.pk).update(uploaded_at=clock.now() - timedelta(hours=25))
    (fresh,), _ = uploads.keep(registrar, [pdf("新.pdf")])
    storage, old_name = old.file.storage, old.file.name
    assert uploads.purge_pending() == 1
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.exists(old_name) and storage.exists(fresh.file.name)


def test_a_unit_accused_in_the_case_cannot_download_its_material(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    case = make_case(registered_by=registrar, nature="accusation", accused_organisation=district.units[0])
    att = Attachment(case=case, original_name="举报材料.pdf", content_type="application/pdf", size=len(PDF),
                     sha256="0" * 64, uploaded_by=registrar)  # fmt: skip
    att.file.save("举报材料.pdf", pdf("举报材料.pdf"), save=False)
    att.save()
    accused = make_user(Role.UNIT_HEAD, district.units[0])
    assert _client(accused).get(f"/cases/{case.pk}/attachments/{att.pk}/").status_code == 404
