"""A fast JSON renderer for the API (kept apart from core.api, which DRF's settings
import while rest_framework itself is still loading)."""

from decimal import Decimal

import orjson
from rest_framework import renderers


class StoredJSON:
    """JSON text rendered earlier (a stored document), written out as it is by the JSON renderers
    instead of being parsed and rendered again. Picklable, so a response holding it can be cached."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __getstate__(self):
        return self.text

    def __setstate__(self, text):
        self.text = text


class ORJSONRenderer(renderers.JSONRenderer):
    """JSON with orjson: several times faster than the standard library on large responses."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_json_default)


def _json_default(value):
    if isinstance(value, StoredJSON):
        return orjson.Fragment(value.text)
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # lazy translation strings, and anything else printable


class JSONLinesRenderer(renderers.BaseRenderer):
    """Newline-delimited JSON: one record a line and no envelope, so a list reads as a table
    (`pandas.read_json(url, lines=True)`). An error is one line too."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        records = data if isinstance(data, list) else [data]
        return b"".join(orjson.dumps(record, default=_json_default) + b"\n" for record in records)
