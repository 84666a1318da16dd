"""Error pages in Chinese, inside the site's frame (base.html), with a reason a user understands.

Our own `PermissionDenied` / `Http404` messages are written for users in Chinese and are shown; Django's
internal ones (English, or the resolver's dict of tried patterns) are not, the page's default reason is.
The 500 page renders without the request: no context processor, no user, no database, so it still renders
when the database is what failed.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

_CJK = re.compile(r"[\u4e00-\u9fff]")

FALLBACK_500 = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>系统错误</title></head>'
    "<body><h1>系统暂时出现错误</h1><p>请稍后再试；如问题持续，请联系系统管理员。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)


def user_reason(exception: BaseException | None) -> str:
    """The exception's message when it is one of ours (Chinese, a plain string), else ''."""
    if exception is None or len(exception.args) != 1 or not isinstance(exception.args[0], str):
        return ""
    message = exception.args[0]
    return message if _CJK.search(message) else ""


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    # Nothing from the exception: a 400 often comes from a forged or malformed request.
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": user_reason(exception)}, status=403)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return render(request, "404.html", {"reason": user_reason(exception)}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = render_to_string("500.html")
    except Exception:
        body = FALLBACK_500
    return HttpResponse(body, status=500)
