import factory

from mutualis.core.models import User
from mutualis.core.roles import OperatorRole


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.fr")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-solide")

    class Params:
        manager = factory.Trait(operator_role=OperatorRole.MANAGER)
        administrator = factory.Trait(operator_role=OperatorRole.ADMINISTRATOR)
        accountant = factory.Trait(operator_role=OperatorRole.ACCOUNTANT)
        read_only = factory.Trait(operator_role=OperatorRole.READ_ONLY)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
