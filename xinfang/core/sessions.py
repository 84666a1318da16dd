"""Sliding session expiry without a write on every request.

SESSION_SAVE_EVERY_REQUEST renews the expiry by saving the session (an UPDATE and a COMMIT on the primary) on
each request; this renews it once every SESSION_REFRESH_SECONDS instead, so the idle timeout
(SESSION_COOKIE_AGE) holds to within that interval and a page view reads the session without writing it.
"""

from __future__ import annotations

import time

from django.conf import settings

STAMP = "_refreshed_at"


class SessionRefreshMiddleware:
    """Place after SessionMiddleware: marks a non-empty session for saving when its last renewal is old."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(STAMP, 0)) >= settings.SESSION_REFRESH_SECONDS:
                # A changed key: SessionMiddleware saves the session and resends the cookie.
                session[STAMP] = now
        return response
