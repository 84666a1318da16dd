"""Effects that end handling without a 处理意见书: a suggestion answered (art.29), an accusation's
feedback (art.30), a mediation or settlement (art.33), and 办结 when the review window lapses unused.
None of them opens a 复查/复核 window."""

from __future__ import annotations

from ...choices import Outcome
from ..context import Ctx, stopped_clock


def _finish(ctx: Ctx, outcome: str, text: str) -> None:
    ctx.note = text
    ctx.changes.update(outcome=outcome, replied_at=ctx.at, **stopped_clock())
    ctx.event_data["outcome"] = outcome
    ctx.doc_extra.update(served_on=ctx.on, outcome_label=Outcome(outcome).label)


def answer_suggestion(ctx: Ctx) -> None:
    """研究论证 result: 采纳 / 部分采纳 / 不采纳 with reasons (counted for the 人民建议 statistics)."""
    _finish(ctx, ctx.data["adoption"], ctx.data["answer"].strip())
    ctx.doc_extra["answer"] = ctx.note


def answer_accusation(ctx: Ctx) -> None:
    """The petitioner receives feedback on the accusation, never the accused side's material (art.30 ¶3)."""
    _finish(ctx, Outcome.ACCUSATION_ANSWERED, ctx.data["feedback"].strip())
    ctx.doc_extra["feedback"] = ctx.note


def mediate(ctx: Ctx) -> None:
    """调解协议书 / 和解协议书 (art.33): the agreement ends handling."""
    _finish(ctx, ctx.data["kind"], ctx.data["agreement"].strip())
    ctx.doc_extra.update(agreement=ctx.note, agreement_kind=Outcome(ctx.data["kind"]).label)


def complete(ctx: Ctx) -> None:
    """办结 (guard: the window to ask for 复查/复核 lapsed unused); run by the daily job."""
    ctx.note = "申请复查（复核）的期限届满，信访人未申请，本件办结。"
    ctx.changes.update(**stopped_clock())


def evaluated(ctx: Ctx) -> None:
    """The petitioner evaluated the reply (the evaluation itself is a portal record)."""
