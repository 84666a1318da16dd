import json

from django.core.serializers.json import DjangoJSONEncoder
from ninja.renderers import JSONRenderer


class ChineseJSONRenderer(JSONRenderer):
    """Keep Chinese readable in responses instead of \\uXXXX escapes (both are valid JSON)."""

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
