"""Build the event trigger lexicon from the Arabic CAMEO verb dictionary.

Reads ``CAMEO.ar.0.5.txt`` (PETRARCH's Arabic verb patterns) and the
CAMEO→PLOVER table, and gives each single-word verb of a verb group the
PLOVER type of its group: the group's own code when it has one, else the
type most of its patterns carry (kept only when that majority is clear).
Rows whose origin is ``hand`` in the existing lexicon are kept verbatim and
win over derived rows for the same lemma, so rebuilding never loses the
hand-written verbal nouns and corrections.

Columns: lemma (folded), type, mode, kind (verb | noun), genitive role of a
verbal noun (actor | target), required context words (``|``-separated
folded stems, one must occur within a few words after the trigger), origin.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from marsad.text.normalize import fold

HEADER = "lemma\ttype\tmode\tkind\tgenitive\tcontext\torigin"

_GROUP = re.compile(r"^---\s+(\S+)\s+\[([0-9-]+)\]\s*---")
_PATTERN_CODE = re.compile(r"\[(\d{2,4})\]")
_PLOVER_LINE = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?")
# Too short or too ambiguous in running text to be a trigger on its own.
_MIN_LEN = 3
_MIN_SHARE = 0.8
_MIN_PATTERNS = 4


def load_cameo2plover(path: Path) -> dict[str, tuple[str, str]]:
    """CAMEO code → (PLOVER type, PLOVER mode)."""
    table: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _PLOVER_LINE.match(line.strip())
        if m:
            table[m.group(1)] = (m.group(2), (m.group(3) or "").strip())
    return table


def plover_of(code: str, table: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """PLOVER (type, mode) of a CAMEO code, falling back to its parent codes."""
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def parse_cameo(path: Path) -> list[tuple[list[str], str, list[str]]]:
    """Verb groups as (verbs, group code, pattern codes)."""
    groups: list[tuple[list[str], str, list[str]]] = []
    in_verbs = False
    current: tuple[list[str], str, list[str]] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if "VERB PATTERNS" in line:
            in_verbs = True
            continue
        if not in_verbs:
            continue
        m = _GROUP.match(line)
        if m:
            current = ([], m.group(2), [])
            groups.append(current)
            continue
        if current is None or not line.strip() or line.startswith("#"):
            continue
        if line.startswith("-"):
            current[2].extend(_PATTERN_CODE.findall(line))
        else:
            verb = line.split("#")[0].strip()
            if verb and " " not in verb and "+" not in verb and "_" not in verb:
                current[0].append(fold(verb))
    return groups


def derive(groups, table, exclude: set[str]) -> dict[str, tuple[str, str]]:
    """Folded verb → (type, mode) for groups with a clear PLOVER type."""
    out: dict[str, tuple[str, str]] = {}
    votes: dict[str, Counter] = {}
    for verbs, code, patterns in groups:
        if code != "---":
            found = plover_of(code, table)
            counts = Counter({found: _MIN_PATTERNS}) if found else Counter()
        else:
            counts = Counter(p for p in (plover_of(c, table) for c in patterns) if p)
        for verb in verbs:
            votes.setdefault(verb, Counter()).update(counts)
    for verb, counts in votes.items():
        if len(verb) < _MIN_LEN or verb in exclude or not counts:
            continue
        by_type = Counter()
        for (ptype, _mode), n in counts.items():
            by_type[ptype] += n
        ptype, n = by_type.most_common(1)[0]
        total = sum(by_type.values())
        if n < _MIN_PATTERNS or n / total < _MIN_SHARE:
            continue
        modes = Counter({mode: k for (t, mode), k in counts.items() if t == ptype and mode})
        out[verb] = (ptype, modes.most_common(1)[0][0] if modes else "")
    return out


def read_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            rows.append((line.split("\t") + [""] * 7)[:7])
    return rows


def build(cameo: Path, plover_table: Path, out: Path, exclude: set[str]) -> tuple[int, int]:
    """Rewrite ``out``: hand rows kept, derived rows refreshed. Returns (hand, derived) counts."""
    hand = [r for r in read_rows(out) if r[6] == "hand"]
    hand_lemmas = {r[0] for r in hand}
    derived = derive(parse_cameo(cameo), load_cameo2plover(plover_table), exclude | hand_lemmas)
    lines = [HEADER]
    lines += ["\t".join(r) for r in sorted(hand)]
    lines += [f"{lemma}\t{t}\t{mode}\tverb\tactor\t\tcameo" for lemma, (t, mode) in sorted(derived.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(hand), len(derived)
