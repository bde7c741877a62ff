from django.utils.translation import gettext_lazy as _

from mutualis.purchasing.savings import ReferenceBasis

BASIS_LABELS = {
    ReferenceBasis.OWN: _("son prix actuel"),
    ReferenceBasis.MARKET: _("prix de référence du marché"),
    ReferenceBasis.NONE: _("sans prix de référence"),
}

BAND_LABELS = {
    "lt500": _("moins de 500 habitants"),
    "500-2000": _("de 500 à 2 000 habitants"),
    "2000-10000": _("de 2 000 à 10 000 habitants"),
    "gt10000": _("plus de 10 000 habitants"),
    "unknown": _("population inconnue"),
}
