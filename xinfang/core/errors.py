"""Service errors with stable codes, shared by every app; messages are Chinese and name the field."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"
    NOT_ALLOWED = "not_allowed"
    ACCUSED_UNIT = "accused_unit"
    DEADLINE_PASSED = "deadline_passed"


class ServiceError(Exception):
    """A business rule said no. Nothing was changed."""

    code: ErrorCode = ErrorCode.INVALID

    def __init__(self, message: str, *, code: ErrorCode | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class ValidationFailed(ServiceError):
    """One or more fields are wrong: errors maps field name → list of Chinese messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first_field, msgs = next(iter(errors.items()))
        super().__init__(msgs[0], code=ErrorCode.INVALID, field=first_field)
        self.errors = errors


class ConflictError(ServiceError):
    code = ErrorCode.CONFLICT

    def __init__(self, message: str = "该信访件已被他人修改，请刷新后重试；您填写的内容已保留。") -> None:
        super().__init__(message, code=ErrorCode.CONFLICT)
