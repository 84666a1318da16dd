"""Effects of the handling stage: 受理, 开始办理, 延期, 听证 (art.23, 31, 34, 36 ¶2)."""

from __future__ import annotations

import datetime

from django.db.models import F

from ...choices import Nature, Status
from .. import deadlines
from ..codes import ROUTE_ACCUSATION, ROUTE_HANDLING, ROUTE_SUGGESTION
from ..context import Ctx, clock_fields, invalid, localdate
from ..queries import assignment_data, current_review_request
from ..records import Extension, Hearing, Recusal, ReviewRequest

ROUTE_BY_NATURE = {
    Nature.APPEAL: ROUTE_HANDLING,
    Nature.SUGGESTION: ROUTE_SUGGESTION,
    Nature.ACCUSATION: ROUTE_ACCUSATION,
}
# What the acceptance notice says the body will do, by purpose (art.29, art.30, art.31(6) + art.34).
ACCEPTANCE_TEXT = {
    Nature.APPEAL: (
        "第二十三条、第三十一条第六项",
        "本机关将自受理之日起{days}日内（即{due}前）办结，并出具书面处理意见书。情况复杂的，经本机关负责人批准，"
        "可以适当延长办理期限，延长期限不超过{extension}日，并告知延期理由。",
    ),
    Nature.SUGGESTION: (
        "第二十三条、第二十九条",
        "本机关将对你提出的建议意见进行研究论证，并将是否采纳的结果和理由答复你。",
    ),
    Nature.ACCUSATION: ("第二十三条、第三十条", "本机关将依规依纪依法办理，并向你反馈办理情况。"),
}


def accept(ctx: Ctx) -> None:
    case = ctx.case
    nature = Nature(case.nature)
    assigned = assignment_data(case) if case.status == Status.ASSIGNED else None
    if assigned and assigned.get("result_due"):
        handling = deadlines.Due(datetime.date.fromisoformat(assigned["result_due"]), False)
    elif nature == Nature.APPEAL:
        handling = deadlines.due("handling", ctx.on, ctx.profile)
    else:
        handling = deadlines.non_appeal_handling_due(ctx.on, ctx.profile)
    basis, text = ACCEPTANCE_TEXT[nature]
    ctx.doc_extra.update(
        acceptance_basis=basis,
        handling_text=text.format(
            days=ctx.profile.rule("handling").n, due=f"{handling.date:%Y年%m月%d日}",
            extension=ctx.profile.rule("extension").n,
        ),
        unit_received=localdate(case.received_by_unit_at) or case.received_date,
    )  # fmt: skip
    ctx.changes.update(
        accepted_at=ctx.at,
        handling_route=ROUTE_BY_NATURE[nature],
        handling_due_date=handling.date,
        **clock_fields("handling", handling),
    )
    if ctx.data.get("notice_exempt"):
        # Art.23 ¶2: no written notice when the petitioner's name or address is unclear — recorded.
        if not ctx.note:
            raise invalid("note", "免于书面告知的，请在“说明”中写明信访人姓名或住址不清的情况")
        ctx.event_data["notice_exempt"] = True
        ctx.document = None
    if case.current_step == "acceptance" and case.due_date:
        ctx.event_data["notice_due"] = case.due_date.isoformat()
        ctx.event_data["notice_on_time"] = ctx.on <= case.due_date


def start_handling(ctx: Ctx) -> None:
    """开始办理 only records the step; the handling clock started at acceptance."""


def extend(ctx: Ctx) -> None:
    """延期 (guard: once): by at most the extension cap, never past acceptance + handling + cap."""
    case, profile = ctx.case, ctx.profile
    days = ctx.data["days"]
    cap_days = profile.rule("extension").n
    if not isinstance(days, int) or days <= 0:
        raise invalid("days", "“延长天数”须为正整数")
    if days > cap_days:
        raise invalid("days", f"“延长天数”不得超过{cap_days}日（第三十四条）")
    accepted = localdate(case.accepted_at)
    cap = deadlines.handling_cap(accepted, profile)
    if assignment_data(case):
        new = deadlines.due(
            "handling", case.handling_due_date, profile, extra_days=days - profile.rule("handling").n
        )
    else:
        new = deadlines.due("handling", accepted, profile, extra_days=days)
    if new.date > cap.date:
        raise invalid(
            "days", f"延期后的期限（{new.date:%Y-%m-%d}）超过受理之日起的最长期限（{cap.date:%Y-%m-%d}）"
        )
    old_due = case.handling_due_date
    ctx.note = ctx.data["reason"]
    ctx.changes.update(
        extension_count=case.extension_count + 1, handling_due_date=new.date, **clock_fields("handling", new)
    )
    ctx.event_data.update(days=days, old_due=old_due.isoformat(), new_due=new.date.isoformat())
    ctx.doc_extra.update(days=days, old_due=old_due, new_due=new.date, reason=ctx.note)
    ctx.records.append(
        Extension(
            days=days,
            reason=ctx.note,
            old_due=old_due,
            new_due=new.date,
            approved_by=ctx.actor,
            approved_on=ctx.on,
        )  # fmt: skip
    )


def hearing(ctx: Ctx) -> None:
    """听证; during a 复核 the hearing days do not count toward its deadline (art.36 ¶2)."""
    start, end = ctx.data["start"], ctx.data["end"]
    if end < start:
        raise invalid("end", "“听证结束日期”不得早于开始日期")
    days = (end - start).days + 1
    req = current_review_request(ctx.case) if ctx.case.status == Status.REREVIEW_REQUESTED else None
    if req is not None:
        total = req.hearing_days + days
        new = deadlines.due(req.level, req.received_on, ctx.profile, extra_days=total)
        ctx.changes.update(**clock_fields(req.level, new))
        ctx.event_data["new_due"] = new.date.isoformat()
        ctx.updates.append(
            lambda: ReviewRequest.objects.filter(pk=req.pk).update(
                hearing_days=F("hearing_days") + days, due_date=new.date
            )
        )
    ctx.event_data.update(start=start.isoformat(), end=end.isoformat(), days=days)
    ctx.records.append(
        Hearing(
            review_request=req, start=start, end=end, days=days, note=ctx.note, held_by=ctx.actor.organisation
        )
    )


def recuse(ctx: Ctx) -> None:
    """回避: recorded; from now on the engine refuses this user any action on the case (art.28 ¶3)."""
    ctx.note = ctx.data["reason"]
    ctx.event_data["user"] = ctx.actor.pk
    ctx.records.append(Recusal(user=ctx.actor, reason=ctx.note, declared_on=ctx.on))


def draft(ctx: Ctx) -> None:
    """拟写: the handler's text, kept on the unit's timeline; the head's form starts from the latest one."""
    kept = {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in ctx.data.items()
        if value not in (None, "") and not hasattr(value, "pk")
    }
    if not kept:
        raise invalid("__all__", "草稿内容为空：请至少填写一项再保存")
    ctx.event_data["draft"] = kept
