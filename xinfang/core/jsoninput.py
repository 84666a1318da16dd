"""JSON from outside (API bodies, uploaded and imported files), refused with a Chinese reason, never a 500.

`json.loads` alone lets through what later breaks a request: nesting deep enough to raise RecursionError
(here or in any code that walks the value), and lone UTF-16 surrogates (`"\\ud800"`), valid JSON that no
database or UTF-8 output can store.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class JSONInputError(ValueError):
    """Input that is not acceptable JSON; the message is Chinese and safe to show."""


class NotJSONError(JSONInputError):
    """Not JSON at all (syntax or encoding), as opposed to JSON with content we refuse."""


def loads(raw: str | bytes, *, max_depth: int = MAX_DEPTH, surrogates: bool = False) -> Any:
    """Decode and check. With `surrogates=True` lone surrogates are let through, for callers whose schema
    reports them per field (the API's registration schema answers 422 naming the field)."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NotJSONError("内容不是 UTF-8 编码的文本") from None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotJSONError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except RecursionError:
        raise JSONInputError(f"JSON 嵌套层数过多（最多 {max_depth} 层）") from None
    check(value, max_depth=max_depth, surrogates=surrogates)
    return value


def check(value: Any, *, max_depth: int = MAX_DEPTH, surrogates: bool = False) -> None:
    """Walk the decoded value without recursion: refuse deep nesting and lone surrogates in any string."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if not surrogates:
                _check_text(item)
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                raise JSONInputError(f"JSON 嵌套层数过多（最多 {max_depth} 层）")
            if isinstance(item, dict):
                for key in item:
                    _check_text(key)  # a key is never a field's value: refused here, whatever the caller
                children = item.values()
            else:
                children = item
            stack.extend((child, depth + 1) for child in children)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JSONInputError("内容含有无效字符（孤立的 Unicode 代理项，如 \\ud800）") from None
