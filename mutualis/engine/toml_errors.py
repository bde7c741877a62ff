"""TOML syntax errors in French, with the line and column where the reader stopped.

Python's `tomllib` explains a syntax error in English (« Expected '=' after a key in a
key/value pair (at line 3, column 9) »); the accountant who typed the tariff reads French.
Each known message has its French sentence; an unknown one (a newer Python) keeps its
position and says that the syntax is wrong.
"""

from __future__ import annotations

import re

_POSITION = re.compile(
    r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$", re.S
)

_FIXED = {
    "Cannot overwrite a value": "cette clé a déjà une valeur",
    "Escaped character is not a Unicode scalar value": "caractère échappé invalide",
    "Expected '=' after a key in a key/value pair": "« = » attendu après le nom de la clé",
    "Expected ']' at the end of a table declaration": "« ] » attendu après le nom de section",
    "Expected ']]' at the end of an array declaration": "« ]] » attendu après le nom de section",
    "Invalid date or datetime": "date invalide (écrire AAAA-MM-JJ)",
    "Invalid hex value": "valeur hexadécimale invalide",
    "Invalid initial character for a key part": "nom de clé invalide (lettres, chiffres, _ ou -)",
    "Invalid statement": "ligne incompréhensible (attendu : clé = valeur, ou [section])",
    "Invalid value": (
        "valeur invalide (un nombre s'écrit avec un point : 12.5 ; un texte entre guillemets)"
    ),
    "Unclosed array": "liste non fermée : « ] » manquant",
    "Unclosed inline table": "accolade non fermée : « } » manquante",
    "Unescaped '\\' in a string": "« \\ » non échappé dans un texte",
    "Unterminated string": "texte non fermé : guillemet manquant",
}
_PATTERNS = (
    (
        re.compile(r"^Illegal character '\\n'$"),
        "texte non fermé : guillemet manquant en fin de ligne",
    ),
    (re.compile(r"^Cannot declare (?P<x>.+) twice$"), "la section {x} est déclarée deux fois"),
    (
        re.compile(r"^Cannot mutate immutable namespace (?P<x>.+)$"),
        "la section {x} ne peut plus être modifiée",
    ),
    (re.compile(r"^Cannot redefine namespace (?P<x>.+)$"), "la section {x} est redéfinie"),
    (re.compile(r"^Duplicate inline table key (?P<x>.+)$"), "la clé {x} est répétée"),
    (re.compile(r"^Expected (?P<x>.+)$"), "{x} attendu"),
    (re.compile(r"^Found invalid character (?P<x>.+)$"), "caractère invalide {x}"),
    (re.compile(r"^Illegal character (?P<x>.+)$"), "caractère interdit {x}"),
)


def french_toml_error(message: str) -> str:
    """« ligne 3, colonne 9 : « = » attendu après le nom de la clé » from tomllib's message."""
    match = _POSITION.match(message)
    text, where = message, ""
    if match is not None:
        text = match.group("message")
        line, column = match.group("line"), match.group("column")
        where = f"ligne {line}, colonne {column}" if line else "à la fin du texte"
    said = _FIXED.get(text)
    if said is None:
        for pattern, sentence in _PATTERNS:
            found = pattern.match(text)
            if found is not None:
                said = sentence.format(**found.groupdict())
                break
    if said is None:
        said = "syntaxe incorrecte"
    return f"{where} : {said}" if where else said
