"""Idempotency keys on POST: the first answer to (key, Idempotency-Key) is stored and replayed.

A software that lost the answer to « create this session » sends the same request again with the same
Idempotency-Key header: it gets the first answer, and nothing is created twice. The same key with another body is
refused (422); while the first request is still running, the second gets 409.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse

from ceres.api import errors
from ceres.api.models import CleApi, RequeteIdempotente
from ceres.api.services import TOKEN_PREFIX, secret_hash

HEADER = "Idempotency-Key"
IN_FLIGHT = "Une requête avec cette clé d'idempotence est encore en cours : réessayez dans un instant."
REUSED = "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une nouvelle clé."
TOO_LONG = "La clé d'idempotence dépasse 255 caractères."
PENDING = 0


def _cle(request) -> CleApi | None:
    auth = request.headers.get("Authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return CleApi.objects.active().filter(secret_hash=secret_hash(token)).first()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "")
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 255:
            return JsonResponse(errors.body(TOO_LONG), status=400)
        cle = _cle(request)
        if cle is None:
            return self.get_response(request)  # the API answers 401
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        try:
            with transaction.atomic():
                record = RequeteIdempotente.objects.create(
                    cle=cle, key=key, fingerprint=fingerprint, status_code=PENDING, body=b"", content_type=""
                )
        except IntegrityError:
            record = RequeteIdempotente.objects.get(cle=cle, key=key)
            if record.fingerprint != fingerprint:
                return JsonResponse(errors.body(REUSED), status=422)
            if record.status_code == PENDING:
                return JsonResponse(errors.body(IN_FLIGHT), status=409)
            response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
            response["Idempotent-Replayed"] = "true"
            return response
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in (401, 429):
            record.delete()  # not an answer worth replaying: the client may try again
        else:
            record.status_code = response.status_code
            record.body = response.content
            record.content_type = response.get("Content-Type", "application/json")
            record.save(update_fields=["status_code", "body", "content_type", "updated_at"])
        return response
