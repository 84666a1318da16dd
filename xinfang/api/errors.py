"""Chinese error bodies for the API: {"code": ..., "message": ..., "field": ..., "errors": {...}}."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xinfang.core.errors import ConflictError, ErrorCode, ServiceError, ValidationFailed
from xinfang.core.jsoninput import JSONInputError, NotJSONError

_PYDANTIC_MESSAGES = {
    "missing": "为必填项",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_type": "须为日期（YYYY-MM-DD）",
    "bool_parsing": "须为是/否",
    "enum": "取值无效",
    "literal_error": "取值无效",
    "list_type": "须为列表",
    "string_type": "须为文本",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "请求体不是有效的 JSON",
    "string_unicode": "含有无效字符（不成对的代理码位），请检查文本编码",
    "int_parsing_size": "数值过大",
    "int_from_float": "须为整数",
    "finite_number": "须为有限数值",
}


# Messages that quote the limit the input broke.
_BOUND_MESSAGES = {
    "string_too_long": ("max_length", "不能超过{}字"),
    "greater_than_equal": ("ge", "不能小于{}"),
    "less_than_equal": ("le", "不能大于{}"),
}

_API_LABELS = {"version": "版本号"}


def _message(err: dict) -> str:
    kind = err.get("type", "")
    key, template = _BOUND_MESSAGES.get(kind, ("", ""))
    bound = (err.get("ctx") or {}).get(key)
    if bound is not None:
        return template.format(bound)
    return _PYDANTIC_MESSAGES.get(kind, "格式不正确")


def field_label(name: str) -> str:
    from xinfang.cases.registration import label

    return _API_LABELS.get(name) or label(name)


def _pydantic_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        field = ".".join(loc) or "请求"
        leaf = next((p for p in reversed(loc) if not p.isdigit()), field)
        text = _message(err)
        errors.setdefault(field, []).append(f"{field_label(leaf)}{text}")
    return errors


# HTTP status for a refused service call, by its stable code (the body always carries the code too).
_STATUS_BY_CODE = {
    ErrorCode.INVALID: 422,
    ErrorCode.ACCUSED_UNIT: 422,
    ErrorCode.DEADLINE_PASSED: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_ALLOWED: 409,
    ErrorCode.CONFLICT: 409,
}

_HTTP_MESSAGES = {
    403: "无权执行此操作",
    404: "请求的资源不存在",
    405: "不支持该请求方法",
    429: "请求过于频繁，请稍后重试",
}
CSRF_MESSAGE = (
    "CSRF 校验失败：以登录会话调用接口时须在 X-CSRFToken 请求头中提供令牌，或改用 Authorization: Bearer 令牌"
)


def error_body(code: str, message: str, field: str | None = None, errors: dict | None = None) -> dict:
    return {"code": code, "message": message, "field": field, "errors": errors or {}}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request, exc):
        errors = _pydantic_errors(exc)
        first_field = next(iter(errors), None)
        first = errors[first_field][0] if first_field else "请求格式不正确"
        return api.create_response(request, error_body("invalid", first, first_field, errors), status=422)

    @api.exception_handler(ValidationFailed)
    def on_failed(request, exc):
        body = error_body(exc.code, exc.message, exc.field, exc.errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(ConflictError)
    def on_conflict(request, exc):
        return api.create_response(request, error_body(exc.code, exc.message), status=409)

    @api.exception_handler(ServiceError)
    def on_service(request, exc):
        status = _STATUS_BY_CODE.get(exc.code, 400)
        errors = {exc.field: [exc.message]} if exc.field else {}
        return api.create_response(
            request, error_body(exc.code, exc.message, exc.field, errors), status=status
        )

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return api.create_response(request, error_body("not_found", "信访件不存在或无权查看"), status=404)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request, error_body("unauthenticated", "请先登录或提供有效令牌"), status=401
        )

    @api.exception_handler(HttpError)
    def on_http(request, exc):
        # ninja raises HttpError(403, "CSRF check Failed") from the session authenticator and
        # HttpError(400, "Cannot parse request body") for a body that is not JSON.
        if exc.status_code == 403 and "csrf" in str(exc).lower():
            return api.create_response(request, error_body("csrf_failed", CSRF_MESSAGE), status=403)
        if exc.status_code == 400 and "parse request body" in str(exc):
            # Plain syntax errors keep their stable message; refused content (depth, surrogates) says why.
            reason = exc.__cause__
            refused = isinstance(reason, JSONInputError) and not isinstance(reason, NotJSONError)
            message = f"请求体有误：{reason}" if refused else "请求体不是有效的 JSON"
            return api.create_response(request, error_body("invalid", message), status=400)
        message = _HTTP_MESSAGES.get(exc.status_code, "请求无法处理")
        return api.create_response(request, error_body("error", message), status=exc.status_code)
