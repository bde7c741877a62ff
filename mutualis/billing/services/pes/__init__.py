"""The PES V2 recette files for Hélios: titres ordinaires (PESALR1, ordinary.py) or a rôle
ORMC (PESORMC, ormc.py), as the operator's identity settings choose; common.py holds what
both share. services/transmissions.py records what was sent."""

from mutualis.billing.services.pes.common import ENCODING, PesError, amount, latin1
from mutualis.billing.services.pes.ordinary import (
    CORRECTION_KINDS,
    ORDINARY_KINDS,
    TRIPLETS,
    pes_recette,
    titre_lines,
)
from mutualis.billing.services.pes.ormc import pes_ormc

__all__ = [
    "CORRECTION_KINDS",
    "ENCODING",
    "ORDINARY_KINDS",
    "TRIPLETS",
    "PesError",
    "amount",
    "latin1",
    "pes_ormc",
    "pes_recette",
    "titre_lines",
]
