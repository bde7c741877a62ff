"""The postal codes of each commune, from the same package as the rest of the territory data
(`codesPostaux` of ``communes.json`` in ``@etalab/decoupage-administratif``).

A postal code is not the INSEE code: Puynormand is INSEE 33347, postal code 33660. A commune
may have several postal codes (Bordeaux: 33000, 33100…) and a postal code several communes.
Shipped as ``data/postcodes.csv.gz`` (insee_code, postcodes separated by spaces, sorted),
written by ``territory_refresh`` beside the other files. Pure: no Django import.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
POSTCODES_FILE = "postcodes.csv.gz"
HEADER = ("insee_code", "postcodes")


def derive_postcodes(package_data_dir: Path) -> list[tuple[str, str]]:
    """(INSEE code, its postal codes) of each current commune that has postal codes."""
    items = json.loads((Path(package_data_dir) / "communes.json").read_text(encoding="utf-8"))
    rows: dict[str, str] = {}
    for item in items:
        if item.get("type") != "commune-actuelle":
            continue
        codes = sorted({str(code) for code in item.get("codesPostaux") or []})
        if codes:
            rows[str(item["code"])] = " ".join(codes)
    return sorted(rows.items())


def write_postcodes(rows: list[tuple[str, str]], out_dir: Path) -> Path:
    """The gzipped CSV, with reproducible bytes (fixed mtime, no file name)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    target = Path(out_dir) / POSTCODES_FILE
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
    ):
        handle.write(text.getvalue().encode("utf-8"))
    return target


@lru_cache(maxsize=2)
def postcodes(data_dir: Path = DATA_DIR) -> dict[str, tuple[str, ...]]:
    """INSEE code → postal codes (empty when the file is missing)."""
    path = Path(data_dir) / POSTCODES_FILE
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return {code: tuple(values.split()) for code, values in reader}


def postcode(insee_code: str, data_dir: Path = DATA_DIR) -> str:
    """The commune's postal code (the lowest when it has several), or "" when unknown."""
    codes = postcodes(data_dir).get(insee_code, ())
    return codes[0] if codes else ""
