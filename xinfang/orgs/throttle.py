"""Login throttling: too many failures for a username from one address lock it for a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(seconds=settings.XINFANG["LOGIN_LOCK_SECONDS"])


def is_locked(username: str, address: str) -> bool:
    recent = LoginFailure.objects.filter(username=username.lower(), address=address, at__gte=_window_start())
    return recent.count() >= settings.XINFANG["LOGIN_MAX_FAILURES"]


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower(), address=address)


def clear(username: str, address: str) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]
