"""The run records are visible, read-only, in the admin."""

from datetime import date

import pytest
from django.utils import timezone

from xinfang.jobs.models import DailyRun, RunStatus


@pytest.mark.django_db
def test_admin_lists_runs_read_only_in_chinese(admin_client):
    DailyRun.objects.create(
        job="compute_hotspots",
        day=date(2026, 3, 2),
        enqueued_at=timezone.now(),
        status=RunStatus.FAILED,
        error="RuntimeError: 评价库维护中",
    )
    page = admin_client.get("/admin/jobs/dailyrun/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "每日任务运行记录" in text and "信访热点计算" in text and "失败" in text
    assert admin_client.get("/admin/jobs/dailyrun/add/").status_code == 403
    run = DailyRun.objects.get()
    assert admin_client.post(f"/admin/jobs/dailyrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert DailyRun.objects.filter(pk=run.pk).exists()
