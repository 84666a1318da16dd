"""The audit trail is shown in the admin and cannot be added to, edited or deleted there."""

import pytest

from xinfang.audit.models import AuditEvent
from xinfang.audit.services import record


@pytest.mark.django_db
def test_admin_shows_the_trail_and_refuses_add_change_and_delete(admin_client):
    record("test.action", object_type="cases.case", object_id=1, after={"x": 1})
    event = AuditEvent.objects.get(action="test.action")
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    change = admin_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"})
    assert change.status_code in (200, 403)  # view-only page at most; the POST must not save
    delete = admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.action == "test.action"
