"""Request bodies parsed with xinfang.core.jsoninput: deep nesting and lone surrogates become a Chinese 400."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.parser import Parser

from xinfang.core import jsoninput


class CheckedJSONParser(Parser):
    def parse_body(self, request: HttpRequest):  # noqa: ANN201
        # ninja turns any exception here into HttpError(400) caused by it; errors.py shows our message.
        return jsoninput.loads(request.body)
