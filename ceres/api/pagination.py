"""Cursor pagination and ETag of API lists.

A cursor is the opaque position after the last row sent (rows ordered by primary key): inserts never shift a page,
unlike an offset. The ETag is a digest of the body: a client sending it back in If-None-Match gets 304 when the page
did not change.
"""

import base64
import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BAD_CURSOR = "Curseur invalide : reprenez la valeur « suivant » de la page précédente."


class Page(Schema):
    results: list
    suivant: str | None = None


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{pk}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, pk = raw.split(":", 1)
        if version != "v1" or not pk.isdigit():
            raise ValueError
        return int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError({"curseur": [BAD_CURSOR]}) from exc


def paginate(qs, *, cursor: str | None, size: int | None, serialize) -> dict:
    size = max(1, min(size or PAGE_SIZE, MAX_PAGE_SIZE))
    qs = qs.order_by("pk")
    if cursor:
        qs = qs.filter(pk__gt=_decode(cursor))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return {"results": [serialize(row) for row in rows], "suivant": _encode(rows[-1].pk) if more and rows else None}


def etag_response(request, data: dict) -> HttpResponse:
    """JSON response with a strong ETag; 304 without body when If-None-Match names it."""
    content = json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or f"W/{etag}" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def since(value: datetime.datetime) -> datetime.datetime:
    """`modifie_depuis` in UTC: any ISO offset is accepted (PostgreSQL refuses offsets beyond ±15:59 as typed)."""
    try:
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValidationError({"modifie_depuis": ["Date et heure hors des limites acceptées."]}) from None
