"""The HTTP entry of uplinks, for network servers that post rather than publish: ChirpStack's
HTTP integration, a The Things Stack webhook. Each server has its token (settings
IOT_WEBHOOKS) sent as `Authorization: Bearer <token>`; the body is the same JSON as by MQTT."""

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mutualis.core.access import public
from mutualis.iot.ingestion import Message, ingest

MAX_BODY_BYTES = 256 * 1024


def _token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@public
@csrf_exempt
@require_POST
def uplink(request, server: str):
    """200 with what was stored or set aside; 401 without the server's token. A message that
    is not an uplink (ChirpStack's `?event=join`, `status`…) is acknowledged and ignored."""
    kind, expected = settings.IOT_WEBHOOKS.get(server, ("", ""))
    token = _token(request)
    if not expected or not token or not hmac.compare_digest(token, expected):
        return JsonResponse({"detail": "Jeton absent ou invalide."}, status=401)
    if request.GET.get("event", "up") != "up":
        return HttpResponse(status=204)
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"detail": "Message trop volumineux."}, status=413)
    result = ingest([Message(body=request.body, network=kind, source="http")])
    return JsonResponse(
        {"uplinks": result.uplinks, "readings": result.readings, **result.quarantined}
    )
