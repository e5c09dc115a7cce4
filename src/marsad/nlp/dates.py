"""Arabic time expressions, resolved against the publication date.

A small grammar over folded text (``fold_with_map``), one line at a time, with
the words in ``resources/dates.json``. Each rule is a regular expression whose
handler resolves the match against the reference date; a relative expression
gets no value without one. Of overlapping matches the longest wins. Values are
ISO prefixes at the precision the expression states (day, month, year); a
period ("الأسبوع الماضي", "الأيام الثلاثة الماضية") gets the most specific prefix
covering it, or none when it spans years. Hijri dates are converted to
Gregorian (Umm al-Qura, the tabular calendar outside its range).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional

from hijridate import Hijri

from marsad.model import Document, TimeExpression
from marsad.text.normalize import fold, fold_with_map

Date = dt.date

# --- calendar arithmetic ------------------------------------------------------------------------


def _add_months(d: Date, n: int) -> Date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return Date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _add(d: Date, unit: str, n: int) -> Date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    if unit == "month":
        return _add_months(d, n)
    return _add_months(d, 12 * n)


def _month_end(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def _hijri_to_gregorian(year: int, month: int, day: int) -> Date:
    """Umm al-Qura where it is defined (1343-1500 AH), else the tabular Islamic calendar."""
    if 1343 <= year <= 1500:
        return Hijri(year, month, day).to_gregorian()
    jdn = day + -(-(295 * (month - 1)) // 10) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return Date.fromordinal(jdn - 1721425)


def _hijri_month_interval(year: int, month: int) -> tuple[Date, Date]:
    start = _hijri_to_gregorian(year, month, 1)
    nxt = _hijri_to_gregorian(year + month // 12, month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def _iso(a: Date, b: Date) -> Optional[str]:
    """Most specific ISO prefix covering the interval [a, b]; None when it spans years."""
    if a == b:
        return a.isoformat()
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}"
    if a.year == b.year:
        return f"{a.year:04d}"
    return None


def _ym(d: Date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _valid_day(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1] and 1 <= y <= 9999


# --- lexicon -------------------------------------------------------------------------------------


def _alt(words) -> str:
    """Regex alternation of folded words, longest first, spaces flexible."""
    forms = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms) + ")"


def _index(mapping: dict[str, list[str]]) -> dict[str, int]:
    return {fold(w): int(k) for k, words in mapping.items() for w in words}


@dataclass
class _Lex:
    data: dict

    def __post_init__(self) -> None:
        d = self.data
        self.gmonth = _index(d["gregorian_months"])
        self.hmonth = _index(d["hijri_months"])
        self.weekday = _index(d["weekdays"])
        self.relday = _index(d["relative_days"])
        self.numword = _index(d["number_words"])
        self.ordinal = _index(d["ordinal_days"])
        self.unit: dict[str, tuple[str, str]] = {}  # folded form -> (unit, form kind)
        for unit, kinds in d["units"].items():
            for kind, words in kinds.items():
                for w in words:
                    self.unit[fold(w)] = (unit, kind)
        self.period = {fold(w): u for u, words in d["period_nouns"].items() for w in words}
        self.qualifier = {fold(w): q for q, words in d["qualifiers"].items() for w in words}
        self.qualifier_month = d["qualifier_months"]
        self.before = {fold(w) for w in d["ago"]["before"]}
        self.future_cues = {fold(w) for w in d["future_cues"]}
        self.not_future = re.compile(
            "|".join(re.escape(fold(w[:-1])) if w.endswith("*") else re.escape(fold(w)) + "$" for w in d["future_prefix_nonverbs"])
        )


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    text = resources.files("marsad.resources").joinpath("dates.json").read_text(encoding="utf-8")
    return _Lex(json.loads(text))


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s)


# --- rules ---------------------------------------------------------------------------------------

# Start of a word, allowing the proclitics و ف ب ل before it (outside the span).
_B = r"(?:(?<!\w)|(?<=(?<!\w)[وفبل])|(?<=(?<!\w)[وف][بل]))"
_E = r"(?!\w)"


@dataclass
class _Cand:
    start: int
    end: int
    value: Optional[str]
    relative: bool
    calendar: str = "gregorian"
    month: Optional[int] = None  # a day and month stated without a year that can be resolved
    day: Optional[int] = None


Rule = Callable[[re.Match, Optional[Date]], Optional[tuple[Optional[str], bool, str]]]


class _Grammar:
    def __init__(self, lex: _Lex) -> None:
        self.lex = lex
        d = lex.data
        month = _alt(w for ws in d["gregorian_months"].values() for w in ws)
        unamb = _alt(w for ws in d["gregorian_months"].values() for w in ws if w not in d["ambiguous_months"])
        sep = r"\s*[/\-–—(]\s*"
        # A month, alone or doubled with its other name ("كانون الثاني/يناير", "مارس (آذار)").
        monthx = rf"(?P<m>{month})(?:{sep}{month}\s*\)?)?"
        monthx_u = rf"(?:(?P<m>{unamb})(?:{sep}{month}\s*\)?)?|(?P<m2>{month}){sep}{month}\s*\)?)"
        hmonth = _alt(w for ws in d["hijri_months"].values() for w in ws)
        hmonth_day = _alt(w for ws in d["hijri_months"].values() for w in ws if w not in d["hijri_months_need_year"])
        wd = _alt(w for ws in d["weekdays"].values() for w in ws)
        part = _alt(d["day_parts"])
        past, fut, cur = _alt(d["past"]), _alt(d["future"]), _alt(d["current"])
        mod = rf"(?:(?P<past>{past})|(?P<fut>{fut})|(?P<cur>{cur}))"
        qual = _alt(w for ws in d["qualifiers"].values() for w in ws)
        yearn = _alt(d["year_nouns"])
        gmark = _alt(d["gregorian_markers"])
        hmark = _alt(d["hijri_markers"])
        ctx = _alt(d["year_context"])
        since = _alt(d["since"])
        of = r"(?:من\s+)?"
        mnoun = _alt(d["month_noun"])
        year = rf"(?:{yearn}\s+)?(?P<y>[0-9]{{4}})(?:\s*{gmark}{_E})?(?![0-9])"
        # A stated year, or one relative to now ("من العام الماضي").
        yearp = _alt(w for w, u in self.lex.period.items() if u == "year")
        yearx = rf"(?:{year}|{yearp}\s+(?:(?P<ypast>{past})|(?P<yfut>{fut})|(?P<ycur>{cur})))"
        wdpre = rf"(?:(?:{part}\s+)?{wd}\s*[،,]?\s+)?"
        units_any = _alt(self.lex.unit)
        units_dual = _alt(w for w, (_, k) in self.lex.unit.items() if k == "dual")
        units_sing = _alt(w for w, (_, k) in self.lex.unit.items() if k == "singular")
        units_pl = _alt(w for w, (_, k) in self.lex.unit.items() if k == "definite_plural")
        numw = _alt(self.lex.numword)
        approx = _alt(d["approximators"])
        ago = _alt(w for ws in d["ago"].values() for w in ws)
        anchor = _alt(d["anchor_words"])
        today_block = _alt(d["not_today_after"])
        not_today = "".join(f"(?<!{re.escape(fold(w))} )" for w in d["not_today_before"])
        # A day of the month: 27, الـ19, السابع والعشرين من
        day = rf"(?:(?:ال)?(?P<d>[0-9]{{1,2}})\s*{of}|(?P<od>{_alt(self.lex.ordinal)})\s+من\s+)"
        period = _alt(self.lex.period)
        this = _alt(d["this"])

        def c(p: str) -> re.Pattern:
            return re.compile(_B + p + _E)

        self.rules: list[tuple[re.Pattern, Rule]] = [
            # 5 آذار/مارس 2024, الثلاثاء 27 من سبتمبر الجاري
            (c(rf"{wdpre}{day}(?:{mnoun}\s+)?{monthx}(?:\s*[،,]?\s*{of}{yearx})?(?:\s+{mod})?"), self._day_month),
            # نهاية كانون الثاني/يناير من العام 2017
            (c(rf"(?:(?P<q>{qual})\s+)?(?:{mnoun}\s+)?{monthx}\s*[،,]?\s*{of}{yearx}"), self._month_year),
            # نوفمبر المقبل, مطلع شهر آذار, في أكتوبر
            (c(rf"(?:(?P<q>{qual})\s+)?(?:{mnoun}\s+)?{monthx}\s+{mod}"), self._month),
            (c(rf"(?:(?P<q>{qual})\s+(?:{mnoun}\s+)?|{mnoun}\s+){monthx}"), self._month),
            (c(rf"(?:{ctx})\s+(?P<core>{monthx_u})"), self._month),
            # منذ العام 2003, نهاية عام 2026, 2019م
            (c(rf"(?:(?P<since>{since})\s+)?(?:(?P<q>{qual})\s+)?{yearn}\s+(?P<y>[0-9]{{4}})(?:\s*{gmark}{_E})?(?![0-9])"), self._year),
            (c(rf"(?:(?P<since>{since})\s+|{ctx}\s+|(?P<q>{qual})\s+)(?P<core>(?P<y>(?:1[89]|20)[0-9]{{2}}))(?![0-9]|\s*[/.%\-][0-9]|\s*%)"), self._year),
            (c(rf"(?P<y>[0-9]{{4}})\s*{gmark}"), self._year),
            # العام الماضي, مطلع العام المقبل, الشهر الجاري, هذا الأسبوع
            (c(rf"(?:(?P<since>{since})\s+)?(?:(?P<q>{qual})\s+)?(?P<p>{period})\s+{mod}"), self._period),
            # السنوات الخمس الماضية, الأيام الـ3 المقبلة, الأسبوعين الماضيين
            (c(rf"(?:(?P<u>{units_pl})\s+(?:ال)?(?:(?P<n>[0-9]{{1,3}})|(?P<nw>{numw}))|(?:ال)?(?:(?P<n2>[0-9]{{1,3}})|(?P<nw2>{numw}))\s+(?P<u2>{units_any})|ال(?P<u3>{units_dual}))\s+(?:(?P<past>{past})|(?P<fut>{fut}))"), self._last_n),
            (c(rf"(?:(?P<q>{qual})\s+)?{this}\s+(?P<p>{period})"), self._period),
            # أمس, صباح اليوم, أول من أمس, أمس (السبت)
            (c(rf"{not_today}(?:{part}\s+)?(?P<rd>{_alt(self.lex.relday)})(?!\s+{today_block}{_E})(?:\s*[،,(]?\s*(?P<wd>{wd})(?:\s*\))?)?"), self._relday),
            # الأربعاء الماضي, مساء الإثنين, يوم الخميس
            (c(rf"(?:{part}\s+)?(?P<wd>{wd})(?!\s+عشر)(?:\s+(?:(?P<past>{past})|(?P<fut>{fut})))?"), self._weekday),
            # قبل 3 أسابيع, بعد يومين, منذ ثلاثة أشهر (not "قبل عامين من الحرب")
            (c(rf"(?P<dir>{ago})\s+(?:{approx}\s+)?(?:(?P<n>[0-9]{{1,3}})\s+(?P<u>{units_any})|(?P<nw>{numw})\s+(?P<u2>{units_any})|(?P<u3>{units_dual})|(?P<u4>{units_sing}))(?!\s+{anchor}{_E})"), self._ago),
            # 2024/03/05, 5-3-2024, الثلاثاء 05.03.2024
            (re.compile(rf"{_B}{wdpre}(?<![0-9/.\-])(?P<a>[0-9]{{1,4}})(?P<s>[/\-.])(?P<b>[0-9]{{1,2}})(?P=s)(?P<c>[0-9]{{1,4}})(?![0-9]|[/.\-][0-9])"), self._numeric),
            # 15 رمضان 1445 هـ, 3 شوال
            (c(rf"(?:(?P<d>[0-9]{{1,2}})\s+{of})?(?:{mnoun}\s+)?(?P<hm>{hmonth})\s*[،,]?\s*(?:{yearn}\s+)?(?P<y>[0-9]{{3,4}})(?:\s*{hmark})?"), self._hijri),
            (c(rf"(?P<d>[0-9]{{1,2}})\s+{of}(?:{mnoun}\s+)?(?P<hm>{hmonth_day})"), self._hijri),
            (c(rf"(?:{yearn}\s+)?(?P<y>1?[0-9]{{3}})\s*{hmark}"), self._hijri_year),
        ]

    # Each handler returns (value, relative, calendar) or None to reject the match.

    def _month_of(self, m: re.Match) -> int:
        name = m.group("m") or m.groupdict().get("m2")
        return self.lex.gmonth[_key(name)]

    @staticmethod
    def _mod(m: re.Match) -> Optional[str]:
        for k in ("past", "fut", "cur"):
            if m.groupdict().get(k):
                return k
        return None

    @staticmethod
    def _pick_year(ref: Date, mod: Optional[str], candidates: Callable[[int], tuple[Date, Date]]) -> tuple[Date, Date]:
        """The occurrence of a yearly interval that the modifier points at, around ``ref``."""
        spans = [candidates(ref.year + k) for k in (-1, 0, 1)]
        if mod == "cur":
            return spans[1]
        if mod == "past":
            return max((s for s in spans if s[1] < ref and not s[0] <= ref <= s[1]), key=lambda s: s[0])
        if mod == "fut":
            return min((s for s in spans if s[0] > ref), key=lambda s: s[0])
        return min(spans, key=lambda s: 0 if s[0] <= ref <= s[1] else min(abs((s[0] - ref).days), abs((s[1] - ref).days)))

    @staticmethod
    def _year_of(m: re.Match, ref: Optional[Date]) -> tuple[Optional[int], bool]:
        """(year, relative) of a month's year part; (None, False) when none is stated."""
        g = m.groupdict()
        if g.get("y"):
            return int(g["y"]), False
        for k, shift in (("ypast", -1), ("yfut", 1), ("ycur", 0)):
            if g.get(k):
                return (ref.year + shift if ref else None), True
        return None, False

    def _day_month(self, m, ref):
        day = int(m.group("d")) if m.group("d") else self.lex.ordinal[_key(m.group("od"))]
        month = self._month_of(m)
        y, rel = self._year_of(m, ref)
        if y is not None:
            return (Date(y, month, day).isoformat(), rel, "gregorian") if _valid_day(y, month, day) else None
        if rel:
            return None, True, "gregorian", month, day
        if not _valid_day(2024, month, day):
            return None
        if ref is None:
            return None, True, "gregorian", month, day

        def occ(y: int) -> tuple[Date, Date]:
            d = Date(y, month, min(day, calendar.monthrange(y, month)[1]))
            return d, d

        return self._pick_year(ref, self._mod(m), occ)[0].isoformat(), True, "gregorian"

    def _month_year(self, m, ref):
        y, rel = self._year_of(m, ref)
        return (f"{y:04d}-{self._month_of(m):02d}" if y is not None else None), rel, "gregorian"

    def _month(self, m, ref):
        if ref is None:
            return None, True, "gregorian"
        month = self._month_of(m)
        span = self._pick_year(ref, self._mod(m), lambda y: (Date(y, month, 1), _month_end(y, month)))
        return _ym(span[0]), True, "gregorian"

    def _year(self, m, ref):
        y = int(m.group("y"))
        if not 1000 <= y <= 2200:
            return None
        q = m.groupdict().get("q")
        if q:
            return f"{y:04d}-{self.lex.qualifier_month[self.lex.qualifier[_key(q)]]:02d}", False, "gregorian"
        return f"{y:04d}", False, "gregorian"

    def _period(self, m, ref):
        if ref is None:
            return None, True, "gregorian"
        unit = self.lex.period[_key(m.group("p"))]
        shift = {"past": -1, "fut": 1}.get(self._mod(m) or "cur", 0)
        if unit == "year":
            y = ref.year + shift
            q = m.groupdict().get("q")
            if q:
                return f"{y:04d}-{self.lex.qualifier_month[self.lex.qualifier[_key(q)]]:02d}", True, "gregorian"
            return f"{y:04d}", True, "gregorian"
        if unit == "month":
            return _ym(_add_months(ref.replace(day=1), shift)), True, "gregorian"
        week_start = ref - dt.timedelta(days=(ref.weekday() + 2) % 7) + dt.timedelta(weeks=shift)  # weeks start on Saturday
        return _iso(week_start, week_start + dt.timedelta(days=6)), True, "gregorian"

    def _last_n(self, m, ref):
        g = m.groupdict()
        n = int(g["n"] or g["n2"] or 0) or self.lex.numword.get(_key(g["nw"] or g["nw2"] or ""), 2 if g["u3"] else 0)
        if not n:
            return None
        if ref is None:
            return None, True, "gregorian"
        unit = self.lex.unit[_key(g["u"] or g["u2"] or g["u3"])][0]
        other = _add(ref, unit, -n if g["past"] else n)
        return _iso(min(ref, other), max(ref, other)), True, "gregorian"

    def _relday(self, m, ref):
        if ref is None:
            return None, True, "gregorian"
        d = ref + dt.timedelta(days=self.lex.relday[_key(m.group("rd"))])
        if m.group("wd"):  # "أمس الثلاثاء": the named weekday nearest to the relative day
            d += dt.timedelta(days=(self.lex.weekday[_key(m.group("wd"))] - d.weekday() + 3) % 7 - 3)
        return d.isoformat(), True, "gregorian"

    def _weekday(self, m, ref):
        if ref is None:
            return None, True, "gregorian"
        target = self.lex.weekday[_key(m.group("wd"))]
        back = (ref.weekday() - target) % 7
        if m.group("fut"):
            d = ref + dt.timedelta(days=(target - ref.weekday()) % 7 or 7)
        elif not m.group("past") and self._future_context(m.string[max(0, m.start() - 80) : m.start()]):
            d = ref + dt.timedelta(days=(target - ref.weekday()) % 7)
        else:
            d = ref - dt.timedelta(days=back or (7 if m.group("past") else 0))
        return d.isoformat(), True, "gregorian"

    def _future_context(self, before: str) -> bool:
        """Whether the clause before a bare weekday speaks of the future (سيزور، من المقرر أن)."""
        words = re.split(r"[.،,؛;:!?؟]", before)[-1].split()[-5:]
        for w in words:
            w = re.sub(r"^[وف]", "", w)
            if w in self.lex.future_cues or (re.match(r"س[يتن]\w{2,}$", w) and not self.lex.not_future.match(w)):
                return True
        return False

    def _ago(self, m, ref):
        if m.group("n"):
            n, form = int(m.group("n")), m.group("u")
        elif m.group("nw"):
            n, form = self.lex.numword[_key(m.group("nw"))], m.group("u2")
        elif m.group("u3"):
            n, form = 2, m.group("u3")
        else:
            n, form = 1, m.group("u4")
        unit, kind = self.lex.unit[_key(form)]
        if kind == "definite_plural" or n == 0:
            return None
        if ref is None:
            return None, True, "gregorian"
        sign = -1 if _key(m.group("dir")) in self.lex.before else 1
        d = _add(ref, unit, sign * n)
        value = {"day": d.isoformat(), "week": d.isoformat(), "month": _ym(d), "year": f"{d.year:04d}"}[unit]
        return value, True, "gregorian"

    def _numeric(self, m, ref):
        a, b, c = m.group("a"), int(m.group("b")), m.group("c")
        if len(a) == 4 and len(c) <= 2:
            y, mo, d = int(a), b, int(c)
        elif len(c) == 4 and len(a) <= 2:
            y, mo, d = int(c), b, int(a)
        else:
            return None
        if 1300 <= y <= 1500 and 1 <= mo <= 12 and 1 <= d <= 30:  # 14/10/1439: a Hijri date
            start, end = _hijri_month_interval(y, mo)
            return min(start + dt.timedelta(days=d - 1), end).isoformat(), False, "hijri"
        if not (1900 <= y <= 2100 and _valid_day(y, mo, d)):
            return None
        return Date(y, mo, d).isoformat(), False, "gregorian"

    def _hijri(self, m, ref):
        month = self.lex.hmonth[_key(m.group("hm"))]
        day = int(m.group("d")) if m.group("d") else None
        if day is not None and not 1 <= day <= 30:
            return None
        if m.groupdict().get("y"):
            y = int(m.group("y"))
            if not 1 <= y <= 1600:
                return None
            if day is None:
                start, end = _hijri_month_interval(y, month)
                return _ym(start + (end - start) / 2), False, "hijri"
            start, end = _hijri_month_interval(y, month)
            return min(start + dt.timedelta(days=day - 1), end).isoformat(), False, "hijri"
        if ref is None:
            return None, True, "hijri"
        approx = round((ref.year - 622) * 33 / 32)
        dates = [min(s + dt.timedelta(days=day - 1), e) for s, e in (_hijri_month_interval(y, month) for y in range(approx - 1, approx + 3))]
        return min(dates, key=lambda d: abs((d - ref).days)).isoformat(), True, "hijri"

    def _hijri_year(self, m, ref):
        y = int(m.group("y"))
        if not 1 <= y <= 1600:
            return None
        start = _hijri_to_gregorian(y, 1, 1)
        end = _hijri_to_gregorian(y + 1, 1, 1) - dt.timedelta(days=1)
        return f"{(start + (end - start) / 2).year:04d}", False, "hijri"


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    return _Grammar(_lex())


# --- public API ----------------------------------------------------------------------------------


def _candidates(line: str, offset: int, ref: Optional[Date]) -> list[_Cand]:
    folded, index_map = fold_with_map(line)
    out: list[_Cand] = []
    for pattern, handler in _grammar().rules:
        for m in pattern.finditer(folded):
            try:
                res = handler(m, ref)
            except (OverflowError, ValueError):  # resolved outside the representable calendar
                res = handler(m, None)
            if res is None:
                continue
            g = m.groupdict()
            s, e = m.span("core") if g.get("core") and not (g.get("since") or g.get("q")) else m.span()
            # The original end runs up to the next kept character, so trailing tatweel and marks stay in.
            out.append(_Cand(index_map[s] + offset, index_map[e] + offset if e < len(folded) else len(line) + offset, *res))
    return out


def find_dates(text: str, reference: Optional[Date] = None) -> list[TimeExpression]:
    """Time expressions of ``text``, sorted and non-overlapping (longest wins)."""
    cands: list[_Cand] = []
    pos = 0
    for line in text.split("\n"):
        cands.extend(_candidates(line, pos, reference))
        pos += len(line) + 1
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    taken: list[_Cand] = []
    for c in cands:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
    taken.sort(key=lambda c: c.start)
    return [
        TimeExpression(c.start, c.end, text[c.start : c.end], c.value, c.relative, c.calendar, c.month, c.day)
        for c in taken
    ]


def date_of_span(doc: Document, start: int, end: int) -> Optional[TimeExpression]:
    """The time expression inside [start, end) of ``doc.text``, preferring one with a value."""
    inside = [d for d in doc.dates if start <= d.start and d.end <= end]
    with_value = [d for d in inside if d.value]
    return (with_value or inside or [None])[0]


def parse_reference(value: Optional[str]) -> Optional[Date]:
    """A full ISO date (YYYY-MM-DD...) as a date, else None."""
    if not value:
        return None
    try:
        return Date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_TIME = re.compile(r"\b[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\b|\b(?:am|pm|gmt|utc)\b|[|:\-–—،,()\[\]]|(?<!\w)[صم](?!\w)", re.I)


def infer_published(text: str, head_lines: int = 6, tail_lines: int = 4) -> Optional[str]:
    """A publication date stated in the text: a full date alone on one of the first or
    last lines (a dateline), or on a short line after a label such as "نشر في"."""
    labels = [fold(w) for w in _lex().data["published_labels"]]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for line in lines[:head_lines] + lines[-tail_lines:]:
        for expr in find_dates(line):
            if expr.relative or not expr.value or len(expr.value) != 10 or not 1990 <= int(expr.value[:4]) <= 2100:
                continue
            before = fold(line[: expr.start])[-25:]
            words = len(_TIME.sub(" ", fold(line[: expr.start] + " " + line[expr.end :])).split())
            labelled = any(re.search(rf"(?<!\w){re.escape(lab)}(?!\w)", before) for lab in labels)
            if words <= 2 or (labelled and words <= 6):
                return expr.value
    return None


def tag_dates(doc: Document) -> Document:
    if doc.published is None:
        doc.published = infer_published(doc.text)
    ref = parse_reference(doc.published) or parse_reference(doc.meta.get("published_default"))
    doc.dates = find_dates(doc.text, ref)
    return doc


def create():
    return tag_dates
