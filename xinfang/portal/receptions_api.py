"""Public reception booking under /api/public/receptions/ (no account, no session, no CSRF): the published slots
with free places, and one booking per person per slot, throttled like the rest of the public API.

`build_router()` returns a fresh router, so the full site and the portal-only site can each mount one."""

# No `from __future__ import annotations` here: django-ninja resolves the views' annotations in the module of
# the throttled wrapper (portal.api), where these schemas are not defined.
from datetime import date, time
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import WithJsonSchema

from xinfang.core.error_schema import errors

from . import bookings, throttle
from .api import throttled

# A wall-clock time in Beijing time, sent as "09:00:00". Not OpenAPI's `format: time`, which is RFC 3339's
# full-time and so requires an offset ("09:00:00+08:00") that these values do not carry.
LocalTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$", "description": "北京时间 HH:MM:SS"}),
]


class SlotOut(Schema):
    id: int
    day: date
    start: LocalTime
    end: LocalTime
    place: str
    leader: str
    capacity: int
    free: int


class BookingIn(Schema):
    name: str
    id_number: str
    phone: str
    matter: str
    website: str = ""  # honeypot: leave empty


class BookingOut(Schema):
    id: int
    slot: int
    day: date
    start: LocalTime
    place: str
    message: str


def build_router() -> Router:
    router = Router(tags=["公众预约领导接访"], auth=None)
    refused = errors(400, 404, 409, 422, 429)  # 400: a body that is not JSON

    @router.get("/", response=list[SlotOut], summary="已公布且有余位的领导接访场次")
    def list_slots(request: HttpRequest) -> list[dict]:
        return [vars(s) for s in bookings.open_slots()]

    @router.post("/{slot}/bookings/", response={201: BookingOut, **refused}, summary="预约领导接访")
    @throttled
    def create_booking(request: HttpRequest, slot: int, body: BookingIn) -> Status:
        b = bookings.book(slot, **body.dict(), address=throttle.client_address(request))
        out = {"id": b.pk, "slot": b.slot_id, "day": b.slot.day, "start": b.slot.start, "place": b.slot.place}
        return Status(201, {**out, "message": bookings.BOOKED_MESSAGE})

    return router
