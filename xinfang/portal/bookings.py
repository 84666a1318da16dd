"""Booking a leader's reception from the public portal (page and API): the honeypot and the per-address and
per-ID throttles of the public edge, in front of the one booking service (supervision.receptions.book), which
keeps one booking per person per slot and never overbooks."""

from __future__ import annotations

from dataclasses import dataclass

from xinfang.core.errors import ValidationFailed
from xinfang.supervision import receptions
from xinfang.supervision.models import ReceptionBooking

from . import throttle

WEEKDAYS = "一二三四五六日"
BOOKED_MESSAGE = "预约成功，请按时携带身份证件到场"


@dataclass(frozen=True)
class OpenSlot:
    id: int
    day: object
    weekday: str
    start: object
    end: object
    place: str
    leader: str
    capacity: int
    free: int


def _open(s) -> OpenSlot:
    return OpenSlot(
        id=s.pk,
        day=s.day,
        weekday="星期" + WEEKDAYS[s.day.weekday()],
        start=s.start,
        end=s.end,
        place=s.place,
        leader=s.leader.display_name or "区领导",
        capacity=s.capacity,
        free=s.free,
    )


def open_slots(limit: int = 200) -> list[OpenSlot]:
    """Published slots from today on that still have free places, soonest first."""
    return [_open(s) for s in receptions.published_slots()[:limit]]


def open_slot(slot_id: int) -> OpenSlot | None:
    s = receptions.published_slots().filter(pk=slot_id).first()
    return _open(s) if s is not None else None


def book(
    slot_id: int, *, name: str, id_number: str, phone: str, matter: str, website: str = "", address: str
) -> ReceptionBooking:
    """Book one place as a member of the public. Every attempt counts against the address and the ID number
    (a script trying many slots or many people is slowed down); refusals say why in Chinese."""
    if website:
        raise ValidationFailed({"website": ["提交无效，请刷新页面后重试"]})
    id_key = (id_number or "").strip().upper()
    throttle.check("booking_addr", address)
    throttle.check("booking_id", id_key)
    throttle.hit("booking_addr", address)
    throttle.hit("booking_id", id_key)
    return receptions.book(slot_id, name=name, id_number=id_number, phone=phone, matter=matter)
