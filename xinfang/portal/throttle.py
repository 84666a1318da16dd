"""Abuse control for the public portal, without a third-party captcha: counted attempts per hashed client
address and per hashed ID number, kept in the database so the limits hold across server processes."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings

from xinfang.core import clock

from .models import ThrottleHit

# scope → (settings key for the limit, window in seconds)
LIMITS = {
    "lookup_fail": ("PORTAL_LOOKUP_FAILURES_PER_HOUR", 3600),
    "submit_addr": ("PORTAL_SUBMISSIONS_PER_ADDRESS_PER_DAY", 86400),
    "submit_id": ("PORTAL_SUBMISSIONS_PER_ID_PER_DAY", 86400),
    "booking_addr": ("PORTAL_BOOKINGS_PER_ADDRESS_PER_DAY", 86400),
    "booking_id": ("PORTAL_BOOKINGS_PER_ID_PER_DAY", 86400),
}
MESSAGE = "操作过于频繁，请稍后再试"


class Throttled(Exception):
    """Too many attempts: the API answers 429 with code "throttled", the pages show MESSAGE."""

    code = "throttled"
    message = MESSAGE


def keyed_hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _recent(scope: str, key: str):
    setting, seconds = LIMITS[scope]
    since = clock.now() - timedelta(seconds=seconds)
    return ThrottleHit.objects.filter(scope=scope, key_hash=keyed_hash(key), at__gte=since), setting


def is_limited(scope: str, key: str) -> bool:
    recent, setting = _recent(scope, key)
    return recent.count() >= settings.XINFANG[setting]


def check(scope: str, key: str) -> None:
    if key and is_limited(scope, key):
        raise Throttled()


def hit(scope: str, key: str) -> None:
    if key:
        ThrottleHit.objects.create(scope=scope, key_hash=keyed_hash(key), at=clock.now())


def purge(now=None) -> int:
    """Delete the hits older than the longest window: they no longer count against anybody (a daily job)."""
    longest = max(seconds for _setting, seconds in LIMITS.values())
    before = (now or clock.now()) - timedelta(seconds=longest)
    deleted, _ = ThrottleHit.objects.filter(at__lt=before).delete()
    return deleted


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]
