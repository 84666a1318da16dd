import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xinfang.audit.models import AppendOnlyError, AuditEvent
from xinfang.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def _three_events():
    for i in range(3):
        record(
            "test.change", object_type="thing", object_id=i, before={"v": i}, after={"v": i + 1, "名称": "改"}
        )
    return list(AuditEvent.objects.order_by("id"))


def test_each_row_links_to_the_previous_hash():
    a, b, c = _three_events()
    assert b.prev_hash == a.hash and c.prev_hash == b.hash
    assert verify_chain().ok and verify_chain().checked == 3


def test_a_tampered_row_is_detected():
    _, b, _ = _three_events()
    table = AuditEvent._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["tampered", b.id])  # noqa: S608
    report = verify_chain()
    assert not report.ok and report.broken_at == b.id and "篡改" in report.reason
    with pytest.raises(CommandError, match="断开"):
        call_command("verify_audit")


def test_a_deleted_row_is_detected():
    _, b, c = _three_events()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [b.id])  # noqa: S608
    report = verify_chain()
    assert not report.ok and report.broken_at == c.id


def test_removing_the_last_row_is_detected():
    *_, c = _three_events()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [c.id])  # noqa: S608
    assert not verify_chain().ok


def test_the_orm_refuses_updates_and_deletes():
    a, *_ = _three_events()
    a.action = "changed"
    with pytest.raises(AppendOnlyError):
        a.save()
    with pytest.raises(AppendOnlyError):
        a.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=a.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_verify_audit_command_reports_an_intact_chain(capsys):
    _three_events()
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out
