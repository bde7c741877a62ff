"""Plain text helpers, without Django."""

import re
import unicodedata


def normalize_name(value: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name, for searching and sorting.

    >>> normalize_name("Saint-Émilion")
    'saint emilion'
    >>> normalize_name("L'Haÿ-les-Roses Œuvre")
    'l hay les roses oeuvre'
    """
    value = value.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())
