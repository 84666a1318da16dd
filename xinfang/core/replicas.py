"""Reads on PostgreSQL streaming replicas, writes and read-your-writes on the primary.

`DATABASE_REPLICA_URLS` (comma-separated) adds replica aliases; with none, nothing here changes a query.
The router sends a read to a replica unless the current request must see the primary:

- the request is not a safe method (POST, PUT, …): it is about to write, and what it reads first
  (the case it acts on) must not be a stale copy;
- it has written already, or a transaction is open on the primary;
- the browser wrote within the last `XINFANG_REPLICA_PIN_SECONDS` (a cookie the middleware sets after a
  writing request), so the page after a redirect shows the user's own change although the replica lags.

Lists, dashboards, exports and reports are plain GETs, so they land on a replica.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "xf_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_pinned: ContextVar[bool] = ContextVar("xinfang_pinned_to_primary", default=False)
_wrote: ContextVar[bool] = ContextVar("xinfang_wrote", default=False)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


# Sessions are read on every request and renewed every few minutes (core/sessions.py): they stay on the primary,
# and renewing one is not a write that should pin the browser there.
PRIMARY_ONLY_APPS = frozenset({"sessions"})


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        replicas = replica_aliases()
        if (
            not replicas
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or _pinned.get()
            or _wrote.get()
            or connections["default"].in_atomic_block
        ):
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints) -> str:
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


class ReplicaPinMiddleware:
    """Decides per request whether reads may go to a replica, and remembers a browser's recent write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pin = request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES
        pinned, wrote = _pinned.set(pin), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() and replica_aliases():
                seconds = int(getattr(settings, "REPLICA_PIN_SECONDS", 10))
                response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax")
            return response
        finally:
            _pinned.reset(pinned)
            _wrote.reset(wrote)
