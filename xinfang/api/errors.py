"""Chinese error bodies for the API: {"code": ..., "message": ..., "field": ..., "errors": {...}}."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from xinfang.cases.errors import ConflictError, ServiceError, ValidationFailed

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
}


def field_label(name: str) -> str:
    from xinfang.cases.forms import FIELD_LABELS

    return FIELD_LABELS.get(name, name)


def _pydantic_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        field = ".".join(loc) or "请求"
        leaf = next((p for p in reversed(loc) if not p.isdigit()), field)
        text = _PYDANTIC_MESSAGES.get(err.get("type", ""), "格式不正确")
        errors.setdefault(field, []).append(f"{field_label(leaf)}{text}")
    return errors


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request, exc):  # noqa: ANN001, ANN202
        errors = _pydantic_errors(exc)
        first = next(iter(errors.values()))[0] if errors else "请求格式不正确"
        return api.create_response(
            request, {"code": "invalid", "message": first, "errors": errors}, status=422
        )

    @api.exception_handler(ValidationFailed)
    def on_failed(request, exc):  # noqa: ANN001, ANN202
        body = {"code": exc.code, "message": exc.message, "field": exc.field, "errors": exc.errors}
        return api.create_response(request, body, status=422)

    @api.exception_handler(ConflictError)
    def on_conflict(request, exc):  # noqa: ANN001, ANN202
        return api.create_response(request, {"code": exc.code, "message": exc.message}, status=409)

    @api.exception_handler(ServiceError)
    def on_service(request, exc):  # noqa: ANN001, ANN202
        return api.create_response(
            request, {"code": exc.code, "message": exc.message, "field": exc.field}, status=400
        )

    @api.exception_handler(Http404)
    def on_404(request, exc):  # noqa: ANN001, ANN202
        return api.create_response(
            request, {"code": "not_found", "message": "信访件不存在或无权查看"}, status=404
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):  # noqa: ANN001, ANN202
        return api.create_response(
            request, {"code": "unauthenticated", "message": "请先登录或提供有效令牌"}, status=401
        )
