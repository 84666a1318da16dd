"""Subscriptions to workflow actions, keyed by `ActionCode` (never by a string an app spells itself).

Subscribers run inside the action's transaction, after its event and records are written, in the order
they subscribed; what they write commits or rolls back with the action. Apps subscribe in their
`AppConfig.ready()` (by importing their `receivers` module):

    @hooks.after(ActionCode.REPLY)
    def open_evaluation_on_reply(*, case, actor, **_): ...
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from .codes import ActionCode

ANY = "*"  # subscribe to every action

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)
_running: ContextVar[frozenset[int]] = ContextVar("workflow_hooks_running", default=frozenset())


def after(*codes: ActionCode | str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    unknown = [c for c in codes if c != ANY and c not in ActionCode.__members__.values()]
    if unknown or not codes:
        raise ValueError(f"unknown workflow actions: {unknown or codes}")

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        for code in codes:
            if fn not in _subscribers[code]:
                _subscribers[code].append(fn)
        return fn

    return register


def run(*, action: str, **kwargs: Any) -> None:
    """Call the subscribers of `action`, then those of every action, with action=…, case, actor,
    from_status, to_status and event."""
    case = kwargs.get("case")
    token = _running.set(_running.get() | {case.pk}) if case is not None else None
    try:
        for fn in (*_subscribers.get(action, ()), *_subscribers.get(ANY, ())):
            fn(action=action, **kwargs)
    finally:
        if token is not None:
            _running.reset(token)


def running_for(case_id: int) -> bool:
    """True while an action's subscribers run for this case: a subscriber of every action (ANY) will still see
    what the action-specific ones wrote, so work it does need not be repeated on their writes."""
    return case_id in _running.get()


def unsubscribe(fn: Callable[..., None]) -> None:
    for subscribers in _subscribers.values():
        if fn in subscribers:
            subscribers.remove(fn)
