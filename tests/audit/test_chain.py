import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from xinfang.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent, AuditHead
from xinfang.audit.services import record, row_hash, verify_chain

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
        cur.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["tampered", b.id])
    report = verify_chain()
    assert not report.ok and report.broken_at == b.id and "篡改" in report.reason
    with pytest.raises(CommandError, match="断开"):
        call_command("verify_audit")


def test_a_deleted_row_is_detected():
    _, b, c = _three_events()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [b.id])
    report = verify_chain()
    assert not report.ok and report.broken_at == c.id


def test_removing_the_last_row_is_detected():
    *_, c = _three_events()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [c.id])
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


def _sql(statement, params):
    with connection.cursor() as cur:
        cur.execute(statement, params)


def _committed_events(capture, n=5):
    """Events whose transactions 'commit', so their anchors reach the file outside the database."""
    with capture(execute=True):
        for i in range(n):
            record("test.change", object_type="thing", object_id=i, after={"v": i}, address="10.0.0.1")
    return list(AuditEvent.objects.order_by("id"))


def test_a_changed_actor_label_is_detected():
    _, b, _ = _three_events()
    _sql(f"UPDATE {AuditEvent._meta.db_table} SET actor_label = %s WHERE id = %s", ["张局长", b.id])
    report = verify_chain()
    assert not report.ok and report.broken_at == b.id and "篡改" in report.reason


def test_a_changed_address_is_detected():
    _, b, _ = _three_events()
    _sql(f"UPDATE {AuditEvent._meta.db_table} SET address = %s WHERE id = %s", ["1.2.3.4", b.id])
    assert verify_chain().broken_at == b.id


def test_relabelling_a_row_as_the_old_hash_format_is_detected():
    _, b, _ = _three_events()
    _sql(f"UPDATE {AuditEvent._meta.db_table} SET hash_version = 1 WHERE id = %s", [b.id])
    assert verify_chain().broken_at == b.id


def test_rows_hashed_in_the_old_format_still_verify():
    at = timezone.now()
    digest = row_hash(
        GENESIS_HASH,
        at=at,
        actor_id=None,
        action="old",
        object_type="t",
        object_id="1",
        before=None,
        after=None,
        version=1,
    )
    AuditEvent.objects.create(
        at=at,
        actor_label="旧记录",
        action="old",
        object_type="t",
        object_id="1",
        prev_hash=GENESIS_HASH,
        hash=digest,
        hash_version=1,
        address="9.9.9.9",
    )
    AuditHead.objects.update_or_create(pk=1, defaults={"last_hash": digest, "count": 1})
    record("test.new", object_type="t", object_id=2)
    assert AuditEvent.objects.order_by("id").last().hash_version == 2
    report = verify_chain()
    assert report.ok and report.checked == 2


def test_deleting_the_newest_rows_is_detected_even_with_the_head_rewritten(
    django_capture_on_commit_callbacks,
):
    events = _committed_events(django_capture_on_commit_callbacks)
    assert verify_chain().ok
    keep = events[2]
    # Remove the newest three rows and make the head agree with what is left, all behind the ORM's back.
    _sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id > %s", [keep.id])
    _sql(f"UPDATE {AuditHead._meta.db_table} SET last_hash = %s, count = %s", [keep.hash, 3])
    report = verify_chain()
    assert not report.ok and report.broken_at == events[-1].id and "外部锚点" in report.reason
    with pytest.raises(CommandError, match="外部锚点"):
        call_command("verify_audit")


def test_rewriting_the_whole_chain_is_detected(django_capture_on_commit_callbacks):
    events = _committed_events(django_capture_on_commit_callbacks, n=2)
    last = events[-1]
    # Recompute a valid chain with a changed label: only the anchor outside the database can tell.
    forged = row_hash(
        last.prev_hash,
        at=last.at,
        actor_id=None,
        action=last.action,
        object_type=last.object_type,
        object_id=last.object_id,
        before=last.before,
        after=last.after,
        actor_label="他人",
        address=last.address,
    )
    table = AuditEvent._meta.db_table
    _sql(f"UPDATE {table} SET actor_label = %s, hash = %s WHERE id = %s", ["他人", forged, last.id])
    _sql(f"UPDATE {AuditHead._meta.db_table} SET last_hash = %s", [forged])
    report = verify_chain()
    assert not report.ok and "改写" in report.reason


def test_an_anchor_file_cut_short_by_a_crash_is_read_up_to_the_damage(
    settings, django_capture_on_commit_callbacks
):
    _committed_events(django_capture_on_commit_callbacks, n=2)
    with open(settings.AUDIT_ANCHOR_FILE, "a", encoding="utf-8") as fh:
        fh.write('{"id": 9')
    assert verify_chain().ok
