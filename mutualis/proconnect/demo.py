"""Demo: an agent of the `mairie` account's commune signed in with ProConnect and waits for
access (« Accès ProConnect (1) » in the menu of `admin` and `responsable`)."""

from django.db import transaction

from mutualis.members.models import AgentAccess
from mutualis.proconnect.models import AccessRequest

DEMO_SUB = "demo-proconnect-agent"


@transaction.atomic
def load_demo() -> dict[str, int]:
    access = AgentAccess.objects.select_related("member").filter(user__username="mairie").first()
    if access is None or not access.member.siren:
        return {}
    AccessRequest.objects.get_or_create(
        sub=DEMO_SUB,
        member=access.member,
        defaults={
            "email": "accueil@mairie.example.fr",
            "given_name": "Sophie",
            "usual_name": "Lambert",
            "siret": f"{access.member.siren}00019",
            "idp_id": "demo",
        },
    )
    return {"demandes d'accès ProConnect": AccessRequest.objects.pending().count()}
