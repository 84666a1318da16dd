"""Request bodies parsed with xinfang.core.jsoninput: deep nesting becomes a Chinese 400; a lone surrogate in
a value is left to the schema, which answers 422 naming the field."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.parser import Parser

from xinfang.core import jsoninput


class CheckedJSONParser(Parser):
    def parse_body(self, request: HttpRequest):
        # ninja turns any exception here into HttpError(400) caused by it; errors.py shows our message.
        return jsoninput.loads(request.body, surrogates=True)
