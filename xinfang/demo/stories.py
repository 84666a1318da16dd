"""One demo case's life: the steps a bureau would take, each executed by the workflow engine at its moment.

A story draws what happens (forward or assign, an objection, an extension, a late reply, a mediation, an
evaluation, a 复查 and 复核 …) and plays the steps in order on the controlled clock. It stops at the first
step that would lie in the future, so a recent case stays where the bureau has got to with it today, and
the case is always in a state the engine produced. A step the engine refuses is recorded, never forced.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from xinfang.cases.choices import Nature, Status
from xinfang.cases.models import Case
from xinfang.cases.workflow import engine
from xinfang.cases.workflow.codes import ActionCode as A
from xinfang.cases.workflow.table import ACTIONS
from xinfang.core import clock
from xinfang.core.errors import ServiceError
from xinfang.orgs.models import Organisation, User
from xinfang.portal.models import EvaluationResult
from xinfang.portal.services import submit_evaluation

from .inputs import valid_inputs


@dataclass
class Staff:
    """Who acts for each body: the bureau's registrars, each unit's handlers and heads, the review bodies."""

    registrars: list[User]
    handlers: dict[int, list[User]]
    heads: dict[int, User]

    def handler(self, unit: Organisation) -> User:
        return self.handlers[unit.pk][0]

    def head(self, unit: Organisation) -> User:
        return self.heads[unit.pk]


@dataclass
class Story:
    case: Case
    staff: Staff
    rng: random.Random
    now: datetime.datetime
    refusals: list[tuple[str, str, str]] = field(default_factory=list)
    at: datetime.datetime | None = None
    recused: set[int] = field(default_factory=set)

    def handler(self, unit: Organisation) -> User:
        """The unit's first handler who has not stepped aside (回避)."""
        return next(u for u in self.staff.handlers[unit.pk] if u.pk not in self.recused)

    # --- the clock ------------------------------------------------------------------------------------

    def after(self, days: int) -> datetime.datetime:
        """A moment `days` later, in office hours, never before the last step."""
        base = timezone.localtime(self.at or self.case.registered_at)
        day = base.date() + datetime.timedelta(days=days)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + self.rng.randrange(8))))
        return max(moment, base + datetime.timedelta(minutes=5))

    def act(self, code: str, actor: User, wait: int, *, unit: Organisation | None = None, **extra) -> bool:
        moment = self.after(wait)
        if moment > self.now:
            return False
        action = ACTIONS[code]
        with clock.at(moment):
            data = {**valid_inputs(action, self.case, timezone.localdate(moment), unit=unit), **extra}
            try:
                self.case = engine.execute(code, self.case, actor, version=self.case.version, **data)
            except ServiceError as exc:
                self.refusals.append((self.case.number, code, exc.message))
                return False
        self.at = moment
        return True

    # --- the plot -------------------------------------------------------------------------------------

    def play(self, unit: Organisation, other_unit: Organisation, earlier: Case | None) -> None:
        if self.case.status != Status.REGISTERED:
            return  # a registration ruling (不再受理 / 不予受理) already ended it
        if not self._triage(unit, other_unit, earlier):
            return
        if not self._receive(other_unit):
            return
        self._handle()

    def _triage(self, unit: Organisation, other_unit: Organisation, earlier: Case | None) -> bool:
        registrar = self.rng.choice(self.staff.registrars)
        days = self.rng.choice((1, 2, 3, 5, 8, 12, 14, 14, 16))
        roll = self.rng.random()
        ending = None  # a triage that ends the case here
        if roll < 0.03:
            ending = (A.WITHDRAW, {})
        elif roll < 0.06:
            ending = (A.NOT_ACCEPT, {})
        elif roll < 0.10:
            ending = (A.INFORM, {"route": self.rng.choice(("31(1)", "31(2)", "31(4)", "31(5)"))})
        elif roll < 0.12 and earlier is not None and earlier.registered_at < self.case.registered_at:
            ending = (A.MERGE, {"target": earlier.number})
        if ending is not None:
            self.act(ending[0], registrar, days, **ending[1])
            return False
        code = A.ASSIGN if roll < 0.22 else A.FORWARD
        if not self.act(code, registrar, days, unit=unit):
            return False
        if self.rng.random() < 0.03:  # the unit says it is not its remit; the bureau decides
            if not self.act(A.OBJECT, self.handler(unit), 1):
                return False
            if self.rng.random() < 0.5:
                return self.act(A.REJECT_OBJECTION, registrar, 3)
            return self.act(A.FORWARD, registrar, 3, unit=other_unit)
        return True

    def _receive(self, other_unit: Organisation) -> bool:
        unit = self.case.responsible_unit
        handler = self.handler(unit)
        if len(self.staff.handlers[unit.pk]) > 1 and self.rng.random() < 0.1:
            if self.act(A.RECUSE, handler, 1, reason="信访人系本人亲属，申请回避"):
                self.recused.add(handler.pk)
                handler = self.handler(unit)
        if not self.act(A.ACCEPT, handler, self.rng.choice((1, 2, 3, 5, 7, 10, 16))):
            return False
        if self.rng.random() < 0.02:  # turns out to belong to another statutory procedure
            self.act(A.INFORM, handler, 5, route="31(4)")
            return False
        return self.act(A.START_HANDLING, handler, self.rng.choice((0, 1, 2)))

    def _handle(self) -> None:
        unit = self.case.responsible_unit
        head, handler = self.staff.head(unit), self.handler(unit)
        days = self.rng.choice((8, 15, 22, 30, 38, 45, 52, 56, 58, 63, 70))
        if self.case.nature == Nature.SUGGESTION:
            adoption = self.rng.choice(("adopted", "partly_adopted", "not_adopted"))
            self.act(A.ANSWER_SUGGESTION, head, days, adoption=adoption)
            return
        if self.case.nature == Nature.ACCUSATION:
            self.act(A.ANSWER_ACCUSATION, head, days)
            return
        roll = self.rng.random()
        if roll < 0.05:
            self.act(A.MEDIATE, head, min(days, 50), kind=self.rng.choice(("mediated", "settled")))
            return
        if roll < 0.13:  # complex: extended once, a few days before the deadline
            left = (self.case.handling_due_date - timezone.localdate(self.at)).days
            if not self.act(
                A.EXTEND, head, max(1, left - self.rng.choice((3, 6, 10))), days=self.rng.choice((15, 20, 30))
            ):
                return
            days = self.rng.choice((10, 20, 30))
        if self.rng.random() < 0.15 and self.act(A.DRAFT_REPLY, handler, max(1, days - 3)):
            days = 3
        if self.act(A.REPLY, head, days):
            self._after_reply(unit)

    def _after_reply(self, unit: Organisation) -> None:
        reply_at = self.at
        roll = self.rng.random()
        result = (
            EvaluationResult.SATISFIED if roll < 0.45
            else EvaluationResult.BASICALLY if roll < 0.62
            else EvaluationResult.UNSATISFIED if roll < 0.72
            else None
        )  # fmt: skip
        when = self.after(self.rng.choice((2, 5, 9, 15, 24)))
        if result is not None and when <= self.now:
            with clock.at(when):
                submit_evaluation(self.case, result, "回访记录" if result else "", when)
            self.case.refresh_from_db()  # evaluating the result moves the case to 已评价 (a new version)
        wants_review = result == EvaluationResult.UNSATISFIED and self.rng.random() < 0.7
        if not (wants_review or self.rng.random() < 0.04):
            return
        registrar = self.rng.choice(self.staff.registrars)
        # The request comes within the 30-day window, after the evaluation if there was one.
        evaluated = result is not None and when <= self.now
        self.at = when if evaluated else reply_at
        window_end = self.case.opinions.get(kind="reply").next_window_end
        left = (window_end - timezone.localdate(self.at)).days
        if left < 1 or not self.act(
            A.REQUEST_REVIEW, registrar, self.rng.randint(1, left), reason="对处理意见不服"
        ):
            return
        body = self.case.review_requests.order_by("-id").first().body
        if not self.act(A.REVIEW_OPINION, self.staff.head(body), self.rng.choice((10, 18, 26))):
            return
        if self.rng.random() > 0.45:
            return
        if not self.act(A.REQUEST_REREVIEW, registrar, self.rng.choice((5, 15, 25)), reason="对复查意见不服"):
            return
        body = self.case.review_requests.order_by("-id").first().body
        if self.act(A.REREVIEW_OPINION, self.staff.head(body), self.rng.choice((12, 20, 28))):
            self.act(A.CONCLUDE, registrar, self.rng.choice((2, 5, 9)))
