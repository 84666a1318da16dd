"""信访形势研判报告: manage.py monthly_report and the dashboard download."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from docx import Document

from tests.analytics.conftest import NOW
from tests.factories import make_user
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db


def _text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@time_machine.travel(NOW, tick=False)
def test_command_writes_the_march_report(march, tmp_path):
    out = io.StringIO()
    call_command("monthly_report", "--month", "2026-03", "--out", str(tmp_path), stdout=out)
    path = tmp_path / "信访形势研判报告-2026-03.docx"
    assert str(path) in out.getvalue()
    text = _text(Document(str(path)))
    assert "全区2026年3月信访形势研判报告" in text
    # 6 registered in March, 1 (c6) in February: 环比 +500 %.
    assert "共登记信访事项 6 件，环比上升500.0%，同比新增" in text
    assert "及时受理率 | 60.00% | 3 / 5" in text
    assert "来信 | 4 | 66.7% | 1 | 上升300.0%" in text
    assert "及时受理率为 60.00%，低于 98% 的工作目标" in text
    assert "超期未受理 1 件" in text and "集体访 1 批 6 人次" in text
    # Each of the four compositions has its chart (a PNG the document carries), drawn from the same counts.
    doc = Document(str(path))
    assert len(doc.inline_shapes) == 4
    from PIL import Image

    images = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 4
    for blob in images:
        with Image.open(io.BytesIO(blob)) as img:
            assert img.format == "PNG" and img.width > 800


def test_command_refuses_a_bad_month(district, tmp_path):
    with pytest.raises(CommandError, match="月份格式应为 YYYY-MM"):
        call_command("monthly_report", "--month", "2026-3x", "--out", str(tmp_path))


@time_machine.travel(NOW, tick=False)
def test_dashboard_download(march):
    client = Client()
    client.force_login(make_user(Role.LEADER, march.unit_a.parent))
    r = client.get("/dashboard/report.docx", {"month": "2026-03"})
    assert r.status_code == 200 and "wordprocessingml" in r["Content-Type"]
    doc = Document(io.BytesIO(b"".join(r.streaming_content)))
    assert "2026年3月信访形势研判报告" in doc.paragraphs[0].text
    assert client.get("/dashboard/report.docx", {"month": "x"}).status_code == 404
    finance = Client()
    finance.force_login(make_user(Role.FINANCE, march.unit_a.parent))
    assert finance.get("/dashboard/report.docx", {"month": "2026-03"}).status_code == 404
