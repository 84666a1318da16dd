"""Response headers Django 5.2 does not set itself: a Content-Security-Policy and `Cache-Control: no-store`.

The policy allows scripts, styles, fonts and fetches from this origin only: the templates carry no inline
script, handler or `style=` attribute (site.js holds the few behaviours) and htmx runs with eval off.

Every dynamic response is marked `no-store`: case pages, the API and document downloads show personal data,
and no page of the platform gains from being kept in a browser or proxy cache. Static files are served
outside the middleware chain and stay cacheable.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_cache_control

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "XINFANG_CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        patch_cache_control(response, no_store=True)
        return response
