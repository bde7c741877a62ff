"""Size classes of members by population: the classes of the reference prices « seul » of
the catalogue and of the comparisons between members of similar size."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    UNDER_500 = "lt500", _("moins de 500 habitants")
    UNDER_2000 = "500-1999", _("de 500 à 1 999 habitants")
    UNDER_5000 = "2000-4999", _("de 2 000 à 4 999 habitants")
    UNDER_20000 = "5000-19999", _("de 5 000 à 19 999 habitants")
    UNDER_50000 = "20000-49999", _("de 20 000 à 49 999 habitants")
    LARGE = "50000+", _("50 000 habitants et plus")
    NO_POPULATION = "none", _("sans population (établissements, autres)")


# Lower bound of each class with a population, in order.
BOUNDS = (
    (0, SizeClass.UNDER_500),
    (500, SizeClass.UNDER_2000),
    (2000, SizeClass.UNDER_5000),
    (5000, SizeClass.UNDER_20000),
    (20000, SizeClass.UNDER_50000),
    (50000, SizeClass.LARGE),
)


def size_class(population: int | None) -> SizeClass:
    """The class of a population; none (or 0: an establishment) is « sans population »."""
    if not population:
        return SizeClass.NO_POPULATION
    found = SizeClass.UNDER_500
    for bound, klass in BOUNDS:
        if population >= bound:
            found = klass
    return found
