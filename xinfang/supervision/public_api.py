"""Public reception booking (no account, no session, no CSRF): published slots and one booking per person."""

from __future__ import annotations

from datetime import date, time

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from . import receptions

router = Router(tags=["公众预约领导接访"], auth=None)


class SlotOut(Schema):
    id: int
    day: date
    start: time
    end: time
    place: str
    leader: str
    capacity: int
    free: int


class BookingIn(Schema):
    name: str
    id_number: str
    phone: str
    matter: str


class BookingOut(Schema):
    id: int
    slot: int
    day: date
    start: time
    place: str
    message: str


@router.get("/", response=list[SlotOut], summary="已公布且有余位的领导接访场次")
def list_slots(request: HttpRequest) -> list[dict]:
    return [
        {
            "id": s.pk,
            "day": s.day,
            "start": s.start,
            "end": s.end,
            "place": s.place,
            "leader": s.leader.display_name or "区领导",
            "capacity": s.capacity,
            "free": s.free,
        }
        for s in receptions.published_slots()[:200]
    ]


@router.post("/{slot}/bookings/", response={201: BookingOut}, summary="预约领导接访")
def create_booking(request: HttpRequest, slot: int, body: BookingIn) -> Status:
    b = receptions.book(slot, name=body.name, id_number=body.id_number, phone=body.phone, matter=body.matter)
    return Status(
        201,
        {
            "id": b.pk,
            "slot": b.slot_id,
            "day": b.slot.day,
            "start": b.slot.start,
            "place": b.slot.place,
            "message": "预约成功，请按时携带身份证件到场",
        },
    )
