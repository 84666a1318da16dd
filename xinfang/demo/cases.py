"""Demo cases: registered with `register_case` and advanced by the workflow engine on a controlled clock.

Cases are played one after another in the order they arrived, each from its registration to where a
bureau would have got with it by now (`stories.Story`). Some petitioners come back (a repeat linked to
their earlier case); at the end the daily jobs run for today (evaluations expire, lapsed review windows
become 办结) and the rollups are rebuilt.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable

from django.utils import timezone

from xinfang.analytics.rollups import rebuild_rollups
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.models import Case, Category
from xinfang.cases.registration import PetitionerInput, RegistrationInput
from xinfang.cases.services import register_case
from xinfang.cases.workflow.actions import complete_lapsed_cases
from xinfang.core import clock
from xinfang.orgs.models import User
from xinfang.orgs.roles import Role
from xinfang.portal.services import expire_evaluations

from . import texts
from .stories import Staff, Story


def staff_of(users: list[User]) -> Staff:
    handlers: dict[int, list[User]] = defaultdict(list)
    heads: dict[int, User] = {}
    for u in users:
        if u.role == Role.HANDLER:
            handlers[u.organisation_id].append(u)
        elif u.role == Role.UNIT_HEAD:
            heads.setdefault(u.organisation_id, u)
    return Staff([u for u in users if u.role == Role.REGISTRAR], dict(handlers), heads)


def build_cases(
    orgs: dict,
    users: list[User],
    *,
    total: int,
    years: int,
    rng: random.Random,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, str, str]]:
    """Register and play `total` cases spread over the last `years` years; returns the refused steps."""
    staff = staff_of(users)
    now = clock.now()
    today = timezone.localdate(now)
    by_top: dict[str, list[Category]] = defaultdict(list)
    for c in Category.objects.filter(parent__isnull=False).select_related("parent"):
        by_top[c.parent.name].append(c)
    tops = [t for t in texts.CATEGORY_ROUTING if t in by_top]
    weights = [texts.CATEGORY_ROUTING[t][1] for t in tops]
    channels, channel_weights = zip(*texts.CHANNEL_WEIGHTS, strict=True)
    earlier: list[tuple[Case, PetitionerInput, str]] = []
    refusals: list[tuple[str, str, str]] = []
    span = 365 * years
    for i in range(total):
        received = today - datetime.timedelta(days=int(span * (1 - i / total)))
        top = rng.choices(tops, weights)[0]
        town = rng.choice(orgs["towns"])
        dept = texts.CATEGORY_ROUTING[top][0]
        unit = orgs["depts"]["DISCIPLINE"] if top == "纪检监察" else orgs["depts"][dept] if dept else town
        repeat = earlier and rng.random() < 0.12
        previous, who, top = rng.choice(earlier) if repeat else (None, texts.person(rng, i + 1), top)
        channel = rng.choices(channels, channel_weights)[0]
        title, content = texts.text(rng, top, town.name)
        data = RegistrationInput(
            channel=channel, title=title, content=content, requests="请求依法依规处理并书面答复",
            category=rng.choice(by_top[top]).pk,
            nature=Nature.ACCUSATION if top == "纪检监察" else rng.choice((Nature.APPEAL,) * 9 + (Nature.SUGGESTION,)),
            accused_organisation=town.pk if top == "纪检监察" else None,
            place_organisation=town.pk, place_address=f"{town.name}{rng.randrange(1, 200)}号",
            received_date=received, petitioners=[who],
            headcount=rng.choice((1,) * 18 + (2, 6)) if channel == Channel.VISIT else 1,
            upstream_ref=f"GJ{received.year}{rng.randrange(10**6):06d}" if channel == Channel.UPSTREAM else "",
            upstream_level=rng.choice(("national", "province", "city")) if channel == Channel.UPSTREAM else "",
            is_major_urgent=rng.random() < 0.01, related_case=previous.pk if previous else None,
            is_first=previous is None,
        )  # fmt: skip
        moment = timezone.make_aware(datetime.datetime.combine(received, datetime.time(8 + rng.randrange(2))))
        with clock.at(min(moment, now)):
            case = register_case(actor=rng.choice(staff.registrars), data=data)
        story = Story(case, staff, rng, now)
        story.play(unit, rng.choice(orgs["towns"]), previous)
        refusals += story.refusals
        earlier.append((story.case, who, top))
        if progress and (i + 1) % 200 == 0:
            progress(i + 1, total)
    _run_the_days_jobs(today, span)
    return refusals


def _run_the_days_jobs(today: datetime.date, span: int) -> None:
    """What the daily jobs would have done by now: expire evaluations, close lapsed cases, roll up."""
    expire_evaluations()
    complete_lapsed_cases()
    rebuild_rollups(today - datetime.timedelta(days=span + 1), today)
