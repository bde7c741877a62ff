from mutualis.proconnect.models import AccessRequest, AccessRequestStatus, ProConnectIdentity


def identity_of(user) -> ProConnectIdentity | None:
    return ProConnectIdentity.objects.filter(user=user).first()


def requests():
    return AccessRequest.objects.select_related("member", "decided_by")


def pending_requests():
    return requests().filter(status=AccessRequestStatus.PENDING).order_by("created_at")


def decided_requests(limit: int = 50):
    return requests().exclude(status=AccessRequestStatus.PENDING).order_by("-decided_at")[:limit]
