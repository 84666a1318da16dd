from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.cases.helpers import VALID_ID, registration
from tests.factories import make_district, make_user, tiny_pdf
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import Case, Petitioner
from xinfang.cases.registration import PetitionerInput
from xinfang.cases.services import register_case
from xinfang.core.errors import ServiceError, ValidationFailed
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar():
    return make_user(Role.REGISTRAR, make_district().bureau)


def _rejects(registrar, field_prefix, words, attachments=None, **overrides):
    before = (Case.objects.count(), Petitioner.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        register_case(actor=registrar, data=registration(**overrides), attachments=attachments)
    fields = list(exc.value.errors)
    assert any(f.startswith(field_prefix) for f in fields), fields
    messages = " ".join(m for msgs in exc.value.errors.values() for m in msgs)
    assert words in messages, messages
    assert (Case.objects.count(), Petitioner.objects.count(), AuditEvent.objects.count()) == before


def test_it_registers_a_letter_with_number_timeline_audit_and_triage_clock(registrar):
    case = register_case(actor=registrar, data=registration())
    year = timezone.localdate().year
    assert case.number == f"XF-{year}-{case.seq:06d}"
    assert case.status == "registered"
    # art.22: 15 days from 2026-11-02 is 2026-11-17 (a Tuesday, no roll-forward).
    assert case.triage_due_date == date(2026, 11, 17) and case.due_date == date(2026, 11, 17)
    assert list(case.events.values_list("action", flat=True)) == ["register"]
    audit = AuditEvent.objects.get(action="case.register", object_id=str(case.pk))
    assert VALID_ID not in str(audit.after) and "110105" in str(audit.after)  # masked in the log
    assert case.query_code and len(case.query_code) == 8


def test_numbers_are_sequential_and_unique_per_year(registrar):
    a = register_case(actor=registrar, data=registration())
    b = register_case(actor=registrar, data=registration(title="另一件"))
    assert b.seq == a.seq + 1 and a.number != b.number


def test_it_rejects_a_wrong_id_check_digit(registrar):
    people = [PetitionerInput(name="张伟", id_number="110105194912310021")]
    _rejects(registrar, "petitioners.0.id_number", "校验位", petitioners=people)


def test_it_rejects_a_future_receiving_date(registrar):
    _rejects(
        registrar, "received_date", "不能晚于今天", received_date=timezone.localdate() + timedelta(days=1)
    )


def test_it_rejects_six_representatives(registrar):
    people = [PetitionerInput(name=f"代表{i}", is_representative=True) for i in range(6)]
    _rejects(registrar, "petitioners", "不得超过5人", petitioners=people, headcount=30, channel="visit")


def test_five_representatives_of_a_large_group_are_fine_and_flag_it_collective(registrar):
    people = [PetitionerInput(name=f"代表{i}", is_representative=True) for i in range(5)]
    case = register_case(
        actor=registrar, data=registration(petitioners=people, headcount=30, channel="visit")
    )
    assert case.is_collective and case.headcount == 30
    assert case.parties.filter(is_representative=True).count() == 5


def test_the_collective_flag_follows_the_threshold(registrar, settings):
    settings.XINFANG = {**settings.XINFANG, "COLLECTIVE_THRESHOLD": 5}
    people = [PetitionerInput(name="甲"), PetitionerInput(name="乙")]
    assert not register_case(
        actor=registrar, data=registration(petitioners=people, headcount=4)
    ).is_collective
    assert register_case(actor=registrar, data=registration(petitioners=people, headcount=5)).is_collective


def test_it_rejects_empty_content(registrar):
    _rejects(registrar, "content", "反映内容不能为空", content="   ")


def test_it_rejects_a_category_that_does_not_exist(registrar):
    _rejects(registrar, "category", "内容分类不存在", category=999999)


def test_it_rejects_an_accusation_without_the_accused(registrar):
    _rejects(registrar, "accused_organisation", "被反映单位", nature="accusation")


def test_it_rejects_upstream_cases_without_reference_and_level(registrar):
    _rejects(registrar, "upstream_ref", "上级交办编号", channel="upstream")


def test_it_rejects_an_oversized_attachment(registrar, settings):
    settings.XINFANG = {**settings.XINFANG, "ATTACHMENT_MAX_BYTES": 1024}
    big = SimpleUploadedFile("材料.pdf", tiny_pdf() + b" " * 2000, content_type="application/pdf")
    _rejects(registrar, "attachments", "超过大小上限", attachments=[big])


def test_it_rejects_a_disguised_attachment(registrar):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    _rejects(registrar, "attachments", "伪装", attachments=[fake])


def test_it_rejects_a_disallowed_type(registrar):
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    _rejects(registrar, "attachments", "类型不允许", attachments=[exe])


def test_it_stores_a_valid_attachment(registrar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("材料.pdf", tiny_pdf(), content_type="application/pdf")
    case = register_case(actor=registrar, data=registration(), attachments=[pdf])
    att = case.attachments.get()
    assert att.original_name == "材料.pdf" and att.size == len(tiny_pdf()) and len(att.sha256) == 64


def test_only_registrars_may_register(registrar):
    d = make_district()
    handler = make_user(Role.HANDLER, d.units[0])
    with pytest.raises(ServiceError) as exc:
        register_case(actor=handler, data=registration())
    assert exc.value.code == "forbidden"


def test_a_second_case_of_the_same_petitioner_is_flagged_as_possible_repeat_with_reason(registrar):
    first = register_case(actor=registrar, data=registration())
    second = register_case(
        actor=registrar,
        data=registration(
            content="翠湖雅苑旁工地夜间施工噪声扰民，至今未解决，再次反映。",
            petitioners=[PetitionerInput(name="张伟", id_number=VALID_ID)],
        ),
    )
    assert second.is_repeat_suspect and "身份证号" in second.repeat_reason
    assert first.number not in second.repeat_reason  # the link is kept apart and rendered per reader
    assert second.events.get(action="register").data["earlier_case"] == first.pk
    assert second.status == "registered" and Case.objects.count() == 2  # flagged, never merged
    assert Petitioner.objects.filter(id_number=VALID_ID).count() == 1  # the same person, linked


def test_a_repeat_is_also_found_by_phone(registrar):
    register_case(
        actor=registrar, data=registration(petitioners=[PetitionerInput(name="王芳", phone="13912345678")])
    )
    again = register_case(
        actor=registrar, data=registration(petitioners=[PetitionerInput(name="王芳", phone="13912345678")])
    )
    assert again.is_repeat_suspect and "联系电话" in again.repeat_reason


def test_a_different_petitioner_is_not_a_repeat(registrar):
    register_case(actor=registrar, data=registration())
    other = register_case(
        actor=registrar, data=registration(petitioners=[PetitionerInput(name="李四", phone="13700000000")])
    )
    assert not other.is_repeat_suspect and other.repeat_reason == ""


def test_whole_files_are_checked_not_only_their_first_bytes(registrar):
    """Issue 11 item 11: a truncated PDF, an image with a ZIP riding after its end (a polyglot), a .docx that is
    any ZIP, and a text file with a NUL after the first 4 KB are refused; the real files pass."""
    import io
    import zipfile

    from tests.factories import tiny_png

    def zip_with(name: str) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(name, "x")
        return buf.getvalue()

    refused = {
        "截断.pdf": tiny_pdf()[:-40],
        "夹带.pdf": tiny_pdf() + zip_with("payload.html"),
        "夹带.png": tiny_png() + zip_with("payload.html"),
        "坏图.png": tiny_png()[:40],
        "假文档.docx": zip_with("payload.html"),
        "长文本.txt": "正常内容".encode() * 2000 + b"\x00",
    }
    for name, data in refused.items():
        upload = SimpleUploadedFile(name, data)
        _rejects(registrar, "attachments", "文件结构不完整", attachments=[upload])
    from xinfang.cases.attachments import attachment_error

    for name, data in {"材料.pdf": tiny_pdf(), "照片.png": tiny_png(), "说明.txt": "说明".encode()}.items():
        assert attachment_error(SimpleUploadedFile(name, data)) is None, name
