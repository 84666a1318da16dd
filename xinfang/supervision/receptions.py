"""Leader receptions (领导接访/约访, art.18 ¶2) and 包案: schedules as data, slots, bookings (staff and public,
race-safe), reception records that link to a case or register one, and a leader owning a case."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from xinfang.audit.services import record
from xinfang.calendar.services import is_working_day, year_is_known
from xinfang.cases.choices import Channel, Nature
from xinfang.cases.identity import id_number_error, mask_id, phone_error
from xinfang.cases.models import Case, Category
from xinfang.cases.services import register_case
from xinfang.cases.validation import PetitionerInput, RegistrationInput
from xinfang.core import clock
from xinfang.core.errors import ConflictError, ErrorCode, ServiceError, ValidationFailed
from xinfang.orgs.roles import Role

from .models import (
    BookingSource,
    CaseOwnership,
    ReceptionBooking,
    ReceptionRecord,
    ReceptionSchedule,
    ReceptionSlot,
)

# Statutory holidays on fixed Gregorian dates (《全国年节及纪念日放假办法》: 元旦, 劳动节, 国庆节). In a year the
# calendar does not know yet, weekdays count as working days; a reception is not offered on these all the same.
FIXED_DATE_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


def _rest_day(d: date) -> bool:
    return not is_working_day(d) or (not year_is_known(d.year) and (d.month, d.day) in FIXED_DATE_HOLIDAYS)


def slot_days(schedule: ReceptionSchedule, start: date, weeks: int) -> list[date]:
    wanted = {int(c) for c in schedule.weekdays if c.isdigit()}
    days = [start + timedelta(days=i) for i in range(weeks * 7)]
    return [d for d in days if d.isoweekday() in wanted and not (schedule.skip_rest_days and _rest_day(d))]


@transaction.atomic
def publish_slots(
    schedule: ReceptionSchedule, *, start: date | None = None, weeks: int = 4
) -> list[ReceptionSlot]:
    """Create the schedule's slots for the coming weeks (a day that already has its slot is left alone)."""
    start = start or clock.today()
    made = []
    for day in slot_days(schedule, start, weeks):
        slot, created = ReceptionSlot.objects.get_or_create(
            leader=schedule.leader,
            day=day,
            start=schedule.start,
            defaults=dict(
                schedule=schedule, end=schedule.end, place=schedule.place, capacity=schedule.capacity
            ),
        )
        if created:
            made.append(slot)
    return made


def _not_started(today: date | None) -> Q:
    """Slots still ahead: a later day, or today's slots whose start time has not come (a 9:00 slot is no longer
    offered at 15:00)."""
    now = timezone.localtime(clock.now())
    if today is None or today == now.date():
        return Q(day__gt=now.date()) | Q(day=now.date(), start__gt=now.time())
    return Q(day__gte=today)


def published_slots(today: date | None = None) -> QuerySet[ReceptionSlot]:
    return (
        ReceptionSlot.objects.filter(_not_started(today), is_published=True, booked__lt=F("capacity"))
        .select_related("leader")
        .order_by("day", "start")
    )


def _check_booking(name: str, id_number: str, phone: str, matter: str) -> tuple[str, str, str, str]:
    name, id_number, phone, matter = (
        v.strip() for v in (name or "", id_number or "", phone or "", matter or "")
    )
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["请填写姓名"]
    if msg := id_number_error(id_number.upper()) if id_number else "请填写身份证号码":
        errors["id_number"] = [msg]
    if msg := phone_error(phone) if phone else "请填写联系电话":
        errors["phone"] = [msg]
    if not matter:
        errors["matter"] = ["请简要填写反映事项"]
    if errors:
        raise ValidationFailed(errors)
    return name, id_number.upper(), phone, matter


def book(
    slot_id: int,
    *,
    name: str,
    id_number: str,
    phone: str,
    matter: str,
    source: str = BookingSource.PUBLIC,
    actor=None,
    today: date | None = None,
) -> ReceptionBooking:
    """Book a place: one booking per person per slot; the conditional UPDATE on `booked` keeps the capacity
    however many requests race (the check constraint backs it)."""
    name, id_number, phone, matter = _check_booking(name, id_number, phone, matter)
    try:
        with transaction.atomic():
            slot = ReceptionSlot.objects.filter(_not_started(today), pk=slot_id, is_published=True).first()
            if slot is None:
                raise ServiceError("接访场次不存在或已结束", code=ErrorCode.NOT_FOUND)
            taken = ReceptionSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
                booked=F("booked") + 1
            )
            if not taken:
                raise ConflictError("该场次名额已满，请选择其他场次")
            booking = ReceptionBooking.objects.create(
                slot=slot,
                name=name,
                id_number=id_number,
                phone=phone,
                matter=matter,
                source=source,
                created_by=actor,
                created_at=clock.now(),
            )
            record(
                "reception.book",
                actor=actor,
                obj=booking,
                after={"slot": slot.pk, "id_number": mask_id(id_number), "source": source},
            )
            return booking
    except IntegrityError:
        raise ConflictError("您已预约该场次，请勿重复预约") from None


@transaction.atomic
def record_reception(
    *,
    actor,
    summary: str,
    booking: ReceptionBooking | None = None,
    case: Case | None = None,
    register: bool = False,
    category: Category | None = None,
) -> ReceptionRecord:
    """A leader's reception: linked to an existing case, or (register=True) registered as a new visit case
    through register_case (a registrar of the bureau acts as the registering officer)."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed({"summary": ["请填写接访情况"]})
    if register:
        if booking is None or category is None:
            raise ValidationFailed({"case": ["登记为信访事项需要预约信息和内容分类"]})
        data = RegistrationInput(
            channel=Channel.VISIT,
            title=booking.matter[:60],
            content=f"{booking.matter}\n（领导接访记录：{summary}）",
            category=category.pk,
            nature=Nature.APPEAL,
            received_date=clock.today(),
            petitioners=[
                PetitionerInput(name=booking.name, id_number=booking.id_number, phone=booking.phone)
            ],
        )
        case = register_case(actor=actor, data=data)
    rec = ReceptionRecord.objects.create(
        booking=booking,
        leader=booking.slot.leader if booking else actor,
        received_on=booking.slot.day if booking else clock.today(),
        case=case,
        summary=summary,
    )
    record("reception.record", actor=actor, obj=rec, after={"case": case.pk if case else None})
    return rec


@transaction.atomic
def assign_owner(*, case: Case, leader, actor, measures: str = "", role: str = "包案领导") -> CaseOwnership:
    """包案: the leader owns the case (a previous owner in the same role is released)."""
    if leader.role != Role.LEADER:
        raise ValidationFailed({"leader": ["包案人必须是领导"]})
    CaseOwnership.objects.filter(case=case, role=role, is_active=True).update(is_active=False)
    own = CaseOwnership.objects.create(
        case=case, leader=leader, role=role, measures=measures.strip(), assigned_on=clock.today()
    )
    record(
        "ownership.assign", actor=actor, obj=own, after={"case": case.pk, "leader": leader.pk, "role": role}
    )
    return own


def seed_reception_demo(
    *, leaders: list, place: str = "区信访局接待大厅", weeks: int = 6, start: date | None = None
) -> int:
    """Demo hook: a weekly Thursday reception day for the first leader and a "1357" schedule (Mon, Wed, Fri,
    Sun) for the second; slots published for the coming weeks. Returns the number of slots made."""
    plans = [
        ("区领导周四接访日", "4", time(9, 0), time(11, 30)),
        ("“1357”工作法接访", "1357", time(14, 30), time(17, 0)),
    ]
    made = 0
    for leader, (title, weekdays, begin, end) in zip(leaders, plans, strict=False):
        schedule, _ = ReceptionSchedule.objects.get_or_create(
            leader=leader,
            title=title,
            defaults=dict(weekdays=weekdays, start=begin, end=end, place=place, capacity=8),
        )
        made += len(publish_slots(schedule, start=start, weeks=weeks))
    return made
