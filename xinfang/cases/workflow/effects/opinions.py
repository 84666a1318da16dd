"""Effects of the opinion stages: 答复 (处理意见书), 复查/复核 requests and opinions, 终结 (art.32-36)."""

from __future__ import annotations

import datetime

from xinfang.cases.permissions import is_accused_org
from xinfang.core.errors import ErrorCode, ServiceError
from xinfang.orgs.models import Organisation

from .. import deadlines
from ..actors import ACCUSED_MESSAGE, review_body_for
from ..codes import DECISIONS
from ..context import Ctx, clock_fields, invalid, stopped_clock
from ..queries import assignment_data, current_review_request, latest_opinion
from ..records import CaseOpinion, ReviewRequest
from .routing import route_to

OPINION_TEXTS = ("request_text", "facts", "decision_text", "legal_basis")


def _review_route(ctx: Ctx, kind: str, next_step: str | None, window_end: datetime.date | None) -> str:
    route = (ctx.data.get("review_route") or "").strip()
    if not route and ctx.profile.reply_requires_review_route and kind != "rereview":
        raise invalid("review_route", f"{ctx.profile.name}要求意见书载明复查（复核）的途径和期限，请填写")
    if not route and next_step:
        body = review_body_for(ctx.actor.organisation)
        n = ctx.profile.rule(next_step).n
        word = "复查" if next_step == "review_request" else "复核"
        route = (
            f"如不服本意见，可自收到本意见书之日起{n}日内（最迟于{window_end:%Y年%m月%d日}）"
            f"向{body.legal_name if body else '上一级机关'}书面申请{word}。"
        )
    return route


def _opinion(ctx: Ctx, kind: str, next_step: str | None) -> None:
    data = ctx.data
    served = ctx.on
    window_end = deadlines.due(next_step, served, ctx.profile).date if next_step else None
    route = _review_route(ctx, kind, next_step, window_end)
    report = (data.get("result_report") or "").strip()
    if kind == "reply" and not report and assignment_data(ctx.case):
        raise invalid("result_report", "交办件须填写“办结报告”（第二十二条第三项）")
    texts = {k: (data.get(k) or "").strip() for k in OPINION_TEXTS}
    ctx.doc_extra.update(texts, decision=DECISIONS[data["decision"]], review_route=route, served_on=served)
    ctx.event_data.update(
        decision=data["decision"], window_end=window_end.isoformat() if window_end else None
    )
    ctx.records.append(
        CaseOpinion(
            kind=kind,
            issuer=ctx.actor.organisation,
            decision=data["decision"],
            review_route=route,
            result_report=report,
            served_on=served,
            next_window_end=window_end,
            issued_by=ctx.actor,
            **texts,
        )  # fmt: skip
    )


def reply(ctx: Ctx) -> None:
    _opinion(ctx, "reply", "review_request")
    ctx.changes.update(replied_at=ctx.at, **stopped_clock())


def review_opinion(ctx: Ctx) -> None:
    _opinion(ctx, "review", "rereview_request")
    ctx.changes.update(**stopped_clock())


def rereview_opinion(ctx: Ctx) -> None:
    _opinion(ctx, "rereview", None)
    ctx.changes.update(**stopped_clock())


def _request(ctx: Ctx, level: str, previous: CaseOpinion, handler: Organisation | None) -> None:
    word = "复查" if level == "review" else "复核"
    body = ctx.data["body"]
    expected = review_body_for(handler)
    if expected is None or body is None or body.pk != expected.pk:
        raise invalid(
            "body", f"{word}应向原办理机关的上一级机关（{expected or '无'}）提出，不能向“{body}”提出"
        )
    received = ctx.on
    if received < previous.served_on:
        raise invalid("received_on", f"“收到请求日期”不得早于意见书送达日期（{previous.served_on:%Y-%m-%d}）")
    if received > previous.next_window_end:
        n = ctx.profile.rule(f"{level}_request").n
        raise ServiceError(
            f"{word}申请已超过期限：应自收到意见书之日（{previous.served_on:%Y-%m-%d}）起{n}日内，"
            f"即{previous.next_window_end:%Y-%m-%d}前提出",
            code=ErrorCode.DEADLINE_PASSED,
            field="received_on",
        )
    if is_accused_org(ctx.case, body):
        raise ServiceError(ACCUSED_MESSAGE, code=ErrorCode.ACCUSED_UNIT, field="body")
    due = deadlines.due(level, received, ctx.profile)
    ctx.changes.update(**clock_fields(level, due))
    ctx.unit = body
    ctx.note = ctx.data["reason"]
    ctx.event_data.update(body=body.pk, due=due.date.isoformat())
    ctx.records.append(ReviewRequest(
        level=level, body=body, received_on=received, window_end=previous.next_window_end,
        due_date=due.date, reason=ctx.note, entered_by=ctx.actor,
    ))  # fmt: skip
    route_to(ctx, body, level)


def request_review(ctx: Ctx) -> None:
    """Guard: a reply under 31(6) exists. The body is the one above the unit that replied."""
    _request(ctx, "review", latest_opinion(ctx.case, "reply"), ctx.case.responsible_unit)


def request_rereview(ctx: Ctx) -> None:
    """Guard: a review opinion exists. The body is the one above the body that reviewed."""
    req = current_review_request(ctx.case)
    _request(ctx, "rereview", latest_opinion(ctx.case, "review"), req.body if req else None)


def conclude(ctx: Ctx) -> None:
    """终结 (art.36 ¶3): only after a 复核 opinion (the table allows it from 已复核 only)."""
    ctx.changes.update(concluded_at=ctx.at, **stopped_clock())
