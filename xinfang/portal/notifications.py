"""Notifications to the petitioner: one interface (`send`), one template per event, pluggable backends.

A backend is one small class with `send(message)`; settings.XINFANG["PORTAL_NOTIFY_BACKEND"] names it (dotted
path, default the console). A vendor's SMS gateway is a subclass that calls its HTTP API in `send`. Messages
carry the case number and the public status only, never the case's content (accusations: art.30 ¶3).
Sending always happens after commit (`notify_on_commit`), so a rolled-back action sends nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from xinfang.cases.models import Case


class Event(StrEnum):
    REGISTERED = "registered"  # with the query code, shown once
    ACCEPTED = "accepted"
    REPLIED = "replied"
    EVALUATION_REMINDER = "evaluation_reminder"


@dataclass(frozen=True)
class Message:
    channel: str  # "sms", "email" or "site"
    to: str
    event: str
    case_number: str
    body: str


class Backend:
    def send(self, message: Message) -> None:
        raise NotImplementedError


class ConsoleBackend(Backend):
    def send(self, message: Message) -> None:
        sys.stdout.write(f"[通知 {message.channel} → {message.to}] {message.body}\n")


class FileBackend(Backend):
    """One JSON line per message in settings.XINFANG["PORTAL_NOTIFY_FILE"]."""

    def send(self, message: Message) -> None:
        path = Path(settings.XINFANG["PORTAL_NOTIFY_FILE"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")


class MemoryBackend(Backend):
    """For tests: messages collect in `outbox`."""

    outbox: list[Message] = []

    def send(self, message: Message) -> None:
        MemoryBackend.outbox.append(message)


def backend() -> Backend:
    path = settings.XINFANG.get("PORTAL_NOTIFY_BACKEND", "xinfang.portal.notifications.ConsoleBackend")
    return import_string(path)()


def _recipient(case: Case) -> str:
    party = case.parties.select_related("petitioner").filter(is_primary=True).first()
    return party.petitioner.phone if party and party.petitioner.phone else ""


def compose(case: Case, event: Event, **extra: object) -> Message | None:
    to = _recipient(case)
    if not to:
        return None
    body = render_to_string(f"portal/notifications/{event.value}.txt", {"case": case, **extra}).strip()
    return Message(channel="sms", to=to, event=event.value, case_number=case.number, body=body)


def send(case: Case, event: Event, **extra: object) -> Message | None:
    message = compose(case, event, **extra)
    if message is not None:
        backend().send(message)
    return message


def notify_on_commit(case: Case, event: Event, **extra: object) -> None:
    transaction.on_commit(lambda: send(case, event, **extra))
