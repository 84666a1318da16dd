"""One effect per row of the table, grouped by stage. An effect fills in the `Ctx`; it writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from ..codes import ActionCode as A
from ..context import Ctx
from . import handling, opinions, outcomes, routing

EFFECTS: dict[str, Callable[[Ctx], None]] = {
    A.FORWARD: routing.forward,
    A.ASSIGN: routing.forward,
    A.INFORM: routing.inform,
    A.NOT_ACCEPT: routing.not_accept,
    A.OBJECT: routing.object_,
    A.REJECT_OBJECTION: routing.reject_objection,
    A.MERGE: routing.merge,
    A.WITHDRAW: routing.withdraw,
    A.ACCEPT: handling.accept,
    A.START_HANDLING: handling.start_handling,
    A.EXTEND: handling.extend,
    A.HEARING: handling.hearing,
    A.REPLY: opinions.reply,
    A.REQUEST_REVIEW: opinions.request_review,
    A.REVIEW_OPINION: opinions.review_opinion,
    A.REQUEST_REREVIEW: opinions.request_rereview,
    A.REREVIEW_OPINION: opinions.rereview_opinion,
    A.CONCLUDE: opinions.conclude,
    A.COMPLETE: outcomes.complete,
    A.ANSWER_SUGGESTION: outcomes.answer_suggestion,
    A.ANSWER_ACCUSATION: outcomes.answer_accusation,
    A.MEDIATE: outcomes.mediate,
    A.RECUSE: handling.recuse,
    A.DRAFT_REPLY: handling.draft,
    A.DRAFT_EXTENSION: handling.draft,
    A.EVALUATE: outcomes.evaluated,
}
