"""Benchmark volumes (`seed_demo --cases 1000000`): the same workflow rules, inserted in batches.

Each case is planned as registration plus the steps its age allows (forward → accept → start → reply,
some withdrawn), and `xinfang.cases.workflow.bulk` runs every step's checks and effect in memory before
the shared bulk writer (COPY on PostgreSQL). No documents are rendered and no hooks run (the rollups are rebuilt at the end).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xinfang.analytics.rollups import rebuild_rollups
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.models import Case, CasePetitioner, Category, Petitioner
from xinfang.cases.workflow import bulk
from xinfang.cases.workflow.codes import ActionCode as A
from xinfang.cases.workflow.table import ACTIONS
from xinfang.core import bulk_write, clock
from xinfang.orgs.models import User

from . import texts
from .cases import staff_of
from .inputs import valid_inputs

BATCH = 5000


def bulk_cases(
    orgs: dict,
    users: list[User],
    *,
    total: int,
    years: int,
    rng: random.Random,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    staff = staff_of(users)
    now = clock.now()
    today = timezone.localdate(now)
    categories = list(Category.objects.filter(parent__isnull=False).select_related("parent"))
    span = 365 * years
    seq: dict[int, int] = {}
    made = 0
    while made < total:
        n = min(BATCH, total - made)
        planned, people = [], []
        for i in range(made, made + n):
            received = today - datetime.timedelta(days=int(span * (1 - i / total)))
            year = received.year
            if year not in seq:
                seq[year] = Case.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0
            seq[year] += 1
            case = _case(orgs, staff, categories, rng, received, year, seq[year])
            planned.append(bulk.Planned(case, _steps(case, orgs, staff, rng, now)))
            people.append(texts.person(rng, i + 1))
        with transaction.atomic():
            cases = bulk.bulk_create_cases(planned)
            _write_people(cases, people, now)
        made += n
        if progress:
            progress(made, total)
    rebuild_rollups(today - datetime.timedelta(days=span + 1), today)
    return made


def _write_people(cases: list[Case], people: list, now: datetime.datetime) -> None:
    """One petitioner per case, its primary party (through the shared bulk writer)."""
    person = bulk_write.table(Petitioner).maker("id", "name", "id_number", "phone", "address", "created_at")
    party = bulk_write.table(CasePetitioner, with_id=False).maker("case_id", "petitioner_id", "is_primary")
    ids = bulk_write.take_ids(Petitioner, len(people))
    bulk_write.insert(
        bulk_write.table(Petitioner),
        [person(pk, p.name, p.id_number, p.phone, p.address, now) for pk, p in zip(ids, people, strict=True)],
    )
    bulk_write.insert(
        bulk_write.table(CasePetitioner, with_id=False),
        [party(c.pk, pk, True) for c, pk in zip(cases, ids, strict=True)],
    )


def _case(orgs, staff, categories, rng, received, year, seq) -> Case:
    cat = rng.choice(categories)
    town = rng.choice(orgs["towns"])
    title, content = texts.text(rng, cat.parent.name if cat.parent.name in texts.TEXTS else "其他", town.name)
    registrar = rng.choice(staff.registrars)
    return Case(
        number=f"XF-{year}-{seq:06d}", year=year, seq=seq, channel=rng.choice(Channel.values),
        title=title, content=content, requests="请求依法依规处理并书面答复", category=cat, nature=Nature.APPEAL,
        place_organisation=town, received_date=received,
        registered_at=timezone.make_aware(datetime.datetime.combine(received, datetime.time(9))),
        registered_by=registrar, registering_org=registrar.organisation,
        query_code=f"{rng.randrange(16**8):08X}", search_text=f"{title}\n{content}",
    )  # fmt: skip


def _steps(case: Case, orgs: dict, staff, rng: random.Random, now: datetime.datetime) -> list[bulk.Step]:
    unit = rng.choice([*orgs["depts"].values(), *orgs["towns"]])
    plan = [(A.FORWARD, staff.registrars[0], rng.choice((1, 3, 8, 14)), {"unit": unit})]
    if rng.random() < 0.03:
        plan = [(A.WITHDRAW, staff.registrars[0], 2, {})]
    else:
        plan += [
            (A.ACCEPT, staff.handler(unit), rng.choice((1, 3, 7)), {}),
            (A.START_HANDLING, staff.handler(unit), 1, {}),
            (A.REPLY, staff.head(unit), rng.choice((15, 30, 50, 58, 65)), {}),
        ]
    steps, at = [], case.registered_at
    for code, actor, days, extra in plan:
        at = at + datetime.timedelta(days=days)
        if at > now:
            break
        data = {**valid_inputs(ACTIONS[code], case, timezone.localdate(at)), **extra}
        steps.append(bulk.Step(code, actor, at, data))
    return steps
