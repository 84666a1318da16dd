"""Test data builders. Each test builds what it needs; nothing is shared between tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from xinfang.cases.categories import load_default_categories
from xinfang.cases.choices import Channel, Nature, Status
from xinfang.cases.identity import make_id_number
from xinfang.cases.models import Case, CaseEvent, CasePetitioner, CaseRouting, Category, Petitioner
from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role

PASSWORD = "Xinfang-Test-2026"
_seq = itertools.count(1)


@dataclass
class District:
    root: Organisation
    bureau: Organisation
    units: list[Organisation] = field(default_factory=list)  # departments
    towns: list[Organisation] = field(default_factory=list)
    city_bureau: Organisation | None = None


def make_org(
    name: str, kind: str, parent: Organisation | None = None, code: str | None = None
) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, parent=parent, code=code or f"T{next(_seq):06d}")


def make_district(n_units: int = 2, n_towns: int = 1) -> District:
    city = make_org("示例市", OrgKind.CITY)
    city_bureau = make_org("示例市信访局", OrgKind.BUREAU, city)
    root = make_org("示例区", OrgKind.DISTRICT, city)
    bureau = make_org("示例区信访局", OrgKind.BUREAU, root)
    units = [make_org(f"区第{i + 1}局", OrgKind.DEPARTMENT, root) for i in range(n_units)]
    towns = [make_org(f"第{i + 1}街道", OrgKind.TOWN, root) for i in range(n_towns)]
    return District(root=root, bureau=bureau, units=units, towns=towns, city_bureau=city_bureau)


def make_user(role: str, org: Organisation, username: str | None = None, password: str = PASSWORD) -> User:
    username = username or f"{role}{next(_seq)}"
    return User.objects.create_user(
        username=username, password=password, role=role, organisation=org, display_name=username
    )


def leaf_category() -> Category:
    # Transactional tests truncate tables, data-migration rows included: reload when missing.
    if not Category.objects.exists():
        load_default_categories()
    return Category.objects.filter(parent__isnull=False).order_by("code").first()


def make_petitioner(name: str = "张三", serial: int | None = None, phone: str = "") -> Petitioner:
    serial = next(_seq) if serial is None else serial
    return Petitioner.objects.create(
        name=name,
        id_number=make_id_number("440111", date(1980, 1, 1 + serial % 28), serial),
        phone=phone or f"139{serial:08d}",
        address="示例区某街道1号",
    )


def make_case(
    *,
    registered_by: User | None = None,
    unit: Organisation | None = None,
    petitioner: Petitioner | None = None,
    received: date | None = None,
    **fields,
) -> Case:
    """A registered case (optionally routed to `unit`), written directly, bypassing the services."""
    if registered_by is None:
        bureau = (
            Organisation.objects.filter(kind=OrgKind.BUREAU).order_by("-id").first() or make_district().bureau
        )
        registered_by = make_user(Role.REGISTRAR, bureau)
    received = received or timezone.localdate()
    seq = next(_seq)
    defaults = dict(
        number=f"XF-{received.year}-{seq:06d}",
        year=received.year,
        seq=seq,
        channel=Channel.LETTER,
        title="反映小区噪声扰民问题",
        content="小区旁工地夜间施工噪声扰民，请求处理。",
        requests="请求停止夜间施工",
        category=leaf_category(),
        nature=Nature.APPEAL,
        received_date=received,
        # 09:00 on the day received, but never in the future (a run just after local midnight would register
        # today's cases after "now", and every figure counted up to now would miss them).
        registered_at=min(timezone.make_aware(datetime.combine(received, time(9, 0))), timezone.now()),
        registered_by=registered_by,
        registering_org=registered_by.organisation,
        status=Status.REGISTERED,
    )
    defaults.update(fields)
    if unit is not None:
        defaults.setdefault("responsible_unit", unit)
    defaults["search_text"] = f"{defaults['title']}\n{defaults['content']}\n{defaults['requests']}"
    case = Case.objects.create(**defaults)
    CasePetitioner.objects.create(case=case, petitioner=petitioner or make_petitioner(), is_primary=True)
    CaseEvent.objects.create(
        case=case,
        at=case.registered_at,
        actor=registered_by,
        action="register",
        label="登记",
        to_status=case.status,
    )
    if unit is not None:
        CaseRouting.objects.create(case=case, unit=unit, kind="forward", routed_at=case.registered_at)
    return case


def tiny_pdf() -> bytes:
    """A minimal PDF that parses (one blank page): attachments are checked as whole files, not by magic bytes."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def tiny_png() -> bytes:
    """A 2×2 PNG written by Pillow."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()
