"""The API's error body as an OpenAPI schema, for every app's router to declare the error answers it gives.

The bodies themselves are written by xinfang/api/errors.py; this lives in core, below every app, so that the
routers (which xinfang.api mounts) can name it without an import cycle."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    code: str = Field(..., description="错误代码（稳定，可供程序判断）")
    message: str = Field(..., description="中文错误信息")
    field: str | None = Field(None, description="出错的字段")
    errors: dict[str, list[str]] = Field(default_factory=dict, description="各字段的中文错误信息")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Error responses for an operation's `response=`, so that its schema declares what it really answers:
    400 a body that is not JSON, 401 no session or token, 403 refused (CSRF, role), 404 not found or out of
    scope, 409 stale version or state, 422 invalid input (path, query or body), 429 throttled."""
    return dict.fromkeys(statuses, ErrorOut)
