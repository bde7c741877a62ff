from mutualis.proconnect.models import AccessRequest

builders = {
    AccessRequest: lambda a: AccessRequest.objects.create(
        member=a,
        sub="tenancy-sub",
        email="demandeur@commune-alpha.fr",
        given_name="Jeanne",
        usual_name="Demandeuse",
        siret="21330000100017",
    ),
}
