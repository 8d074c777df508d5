"""Find a timestamp in the head of any log line, in the layouts real systems write.

Every layout is one regular expression with the same group names (Y year, y two-digit year, M month number,
b month name, D day, h m s clock, f fraction, p AM/PM, z zone, e epoch). A line is searched for every layout and
the earliest match wins (the longer one on a tie); bare epoch numbers count only when no written date is there,
since a ten-digit number may as well be an id. A file settles on the layout most of its lines use, so the usual
line costs one search. Dates without a year get the latest year that does not put them after `now`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

HEAD_CHARS = 160
_MON = r"(?P<b>(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))[a-z]*\.?"
_DAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
_CLOCK = r"(?P<h>[0-2]?\d):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d|60))?"
_FRACTION = r"(?:[.,:](?P<f>\d{1,9}))?"
# zone names: UTC and the unambiguous North American and European ones (CST and IST mean several zones)
_NAMED_ZONES = {"UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
                "AKST": -9, "AKDT": -8, "HST": -10, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2,
                "EEST": 3, "MSK": 3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13}
_ZONE_NAME = "|".join(sorted(_NAMED_ZONES, key=len, reverse=True))
_ZONE = rf"(?:\s?(?P<z>Z|[+-][01]\d:?[0-5]\d|{_ZONE_NAME})(?![\w:]))?"
_LEADING_ZONE = rf"(?:(?P<zl>{_ZONE_NAME})\s+)?"  # monit's [PDT Apr 16 21:05:29]
_AMPM = r"(?:\s?(?P<p>[AaPp][Mm])\b)?"
_END = r"(?![\d])"

LAYOUTS: dict[str, re.Pattern[str]] = {
    # 2024-05-01T12:00:00.123Z, 2024-05-01 12:00:00,123, 2005-06-03-15.42.50.675872, 2005.06.03 15:42:50
    "iso": re.compile(
        r"(?<![\w.:/-])(?P<Y>(?:19|20)\d\d)(?P<sep>[-/.:])(?P<M>[01]?\d)(?P=sep)(?P<D>[0-3]?\d)(?:T|[ _-]+|\s*@\s*)"
        r"(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)(?:[:.](?P<s>[0-5]\d|60))?" + _FRACTION + _ZONE + _END
    ),
    # 20171223-22:15:29:606, 20240501T120000Z
    "compact": re.compile(
        r"(?<![\w.:/-])(?P<Y>(?:19|20)\d\d)(?P<M>[01]\d)(?P<D>[0-3]\d)[-T ]?(?P<h>[0-2]\d):?(?P<m>[0-5]\d):?(?P<s>[0-5]\d)"
        + _FRACTION + _ZONE + _END
    ),
    # Dec 10 06:55:46, Sun Dec 04 04:47:44 2005, Dec 4, 2005 4:47:44 PM, Nov  9 2005 12:01:01
    "monthname": re.compile(
        r"(?<![A-Za-z])" + _LEADING_ZONE + _DAY + _MON + r"\s+(?P<D>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?:(?P<Y>(?:19|20)\d\d),?\s+)?"
        + _CLOCK + _FRACTION + _AMPM + _ZONE + r"(?:\s+(?P<Y2>(?:19|20)\d\d)(?!\d))?" + _END
    ),
    # 10/May/2015:10:05:03 +0000, 04-Dec-2005 04:47:44.123, 04 Dec 2005 04:47:44 GMT
    "daymonth": re.compile(
        r"(?<![\d])" + _DAY + r"(?P<D>[0-3]?\d)[-/ ]" + _MON + r"[-/ ](?P<Y>(?:19|20)\d\d)[: T]+"
        + _CLOCK + _FRACTION + _AMPM + _ZONE + _END
    ),
    # 17/06/09 20:10:40 (log4j yy/MM/dd); 12/31/2024 23:59:59 (US); 31.12.2024 23:59:59, 11-06-2013 02:09:40;
    # 01/01/2014 - 01:25:17 (Source engine servers)
    "slashed": re.compile(
        r"(?<![\d/.-])(?P<A>\d{1,4})(?P<sep>[/.-])(?P<B>\d{1,2})(?P=sep)(?P<C>\d{2,4})(?:[ T,]+|\s+-\s+)" + _CLOCK
        + _FRACTION + _AMPM + _ZONE + _END
    ),
    # Apr-07-13 07:08:36 (ASSP)
    "monthdashed": re.compile(
        r"(?<![A-Za-z])" + _MON + r"-(?P<D>[0-3]\d)-(?P<y>\d\d)\s+" + _CLOCK + _FRACTION + _ZONE + _END
    ),
    # 130324  0:04:00 (MySQL 5's error log: yyMMdd H:mm:ss)
    "mysql": re.compile(r"(?:^|(?<=\s))(?P<y>\d\d)(?P<M>[01]\d)(?P<D>[0-3]\d)\s+(?P<h>[0-2]?\d):(?P<m>[0-5]\d):"
                        r"(?P<s>[0-5]\d)" + _END),
    # @400000004c91b0440a6d5c24 (TAI64N: daemontools' and s6's multilog)
    "tai64n": re.compile(r"(?:^|(?<=\s))@(?P<tai>4000000[0-9a-f]{9})(?P<nano>[0-9a-f]{8})(?![0-9a-f])"),
    # 03-17 16:13:38.811 (Android), [10.30 16:49:06] (Proxifier)
    "yearless": re.compile(
        r"(?<![\d.:/-])(?P<M>[01]?\d)[-.](?P<D>[0-3]\d)[ T](?P<h>[0-2]\d):(?P<m>[0-5]\d):(?P<s>[0-5]\d)" + _FRACTION
        + _END
    ),
    # I0501 12:00:00.123456 (klog: Kubernetes components; the letter is the level)
    "klog": re.compile(r"(?:^|(?<=\s))(?P<lvl>[IWEF])(?P<M>[01]\d)(?P<D>[0-3]\d) (?P<h>[0-2]\d):(?P<m>[0-5]\d):"
                       r"(?P<s>[0-5]\d)" + _FRACTION + _END),
    # 081109 203615 (HDFS yyMMdd HHmmss), only at the start of the line or of a bracket
    "hdfs": re.compile(r"(?:^|(?<=\[))(?P<y>\d\d)(?P<M>[01]\d)(?P<D>[0-3]\d)[ -](?P<h>[0-2]\d)(?P<m>[0-5]\d)"
                       r"(?P<s>[0-5]\d)" + _END),
    # 1117838570, 1117838570.123, 1700000000123 (seconds or milliseconds since 1970, years 2001-2033)
    "epoch": re.compile(r"(?<![\w.:-])(?P<e>1\d{9})(?:(?P<ems>\d{3})|\.(?P<ef>\d{1,9}))?(?![\w:-])"),
}
_MONTHS = {name: n for n, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                            "nov", "dec"), start=1)}
_ZONES: dict[str, timezone] = {"Z": UTC, **{name: timezone(timedelta(hours=hours)) if hours else UTC
                                             for name, hours in _NAMED_ZONES.items()}}
TAI64_EPOCH = 2**62 + 10  # a TAI64 label is 2^62 plus TAI seconds, 10 s ahead of Unix time (djb's libtai)
_WRITTEN = tuple(name for name in LAYOUTS if name != "epoch")


@dataclass(slots=True)
class Found:
    timestamp: datetime
    start: int
    end: int
    layout: str
    has_year: bool = True


def _zone(text: str | None) -> timezone:
    if not text:
        return UTC
    zone = _ZONES.get(text)
    if zone is None:
        digits = text[1:].replace(":", "")
        sign = -1 if text[0] == "-" else 1
        zone = _ZONES[text] = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
    return zone


def _micro(fraction: str | None) -> int:
    return int(fraction[:6].ljust(6, "0")) if fraction else 0


def _hour(g: dict, hour: int) -> int:
    marker = (g.get("p") or "").lower()
    if marker == "pm" and hour < 12:
        return hour + 12
    if marker == "am" and hour == 12:
        return 0
    return hour


def _slashed_date(a: str, b: str, c: str, sep: str) -> tuple[int, int, int] | None:
    """yy/MM/dd (log4j), yyyy/MM/dd, MM/dd/yyyy (dd/MM/yyyy when the day cannot be a month), and dd.MM.yyyy
    and dd-MM-yyyy (MM-dd-yyyy when the month cannot be one): slashes are American, dots and dashes European."""
    x, y, z = int(a), int(b), int(c)
    if len(a) == 4:
        return x, y, z
    if len(c) == 4:
        day_first = x > 12 if sep == "/" else y <= 12
        return (z, y, x) if day_first else (z, x, y)
    if len(a) == 2 and len(c) == 2:
        return 2000 + x, y, z
    return None


def _build(layout: str, g: dict, now: datetime) -> tuple[datetime, bool]:
    if layout == "epoch":
        seconds = int(g["e"]) + (int(g["ems"]) / 1000 if g["ems"] else _micro(g["ef"]) / 1e6)
        return datetime.fromtimestamp(seconds, tz=UTC), True
    if layout == "tai64n":
        return datetime.fromtimestamp(int(g["tai"], 16) - TAI64_EPOCH, tz=UTC).replace(
            microsecond=int(g["nano"], 16) // 1000), True
    if layout == "slashed":
        date = _slashed_date(g["A"], g["B"], g["C"], g["sep"])
        if date is None:
            raise ValueError("ambiguous date")
        year, month, day = date
    else:
        month = int(g["M"]) if g.get("M") else _MONTHS[g["b"][:3].lower()]
        day = int(g["D"])
        year_text = g.get("Y") or g.get("Y2")
        year = int(year_text) if year_text else (2000 + int(g["y"]) if g.get("y") else 0)
    hour = _hour(g, int(g["h"]))
    minute, second = int(g["m"]), int(g["s"] or 0)
    second = min(second, 59)
    micro = _micro(g.get("f"))
    zone = _zone(g.get("z") or g.get("zl"))
    if year:
        return datetime(year, month, day, hour, minute, second, micro, zone), True
    for year in range(now.year, now.year - 8, -1):
        try:
            stamp = datetime(year, month, day, hour, minute, second, micro, zone)
        except ValueError:  # 29 February in a common year
            continue
        if stamp <= now:
            return stamp, False
    raise ValueError("no year places this date before now")


def _try(layout: str, line: str, now: datetime) -> Found | None:
    pattern = LAYOUTS[layout]
    pos = 0
    while (match := pattern.search(line, pos, HEAD_CHARS)) is not None:
        try:
            stamp, has_year = _build(layout, match.groupdict(), now)
        except (ValueError, OverflowError, KeyError):
            pos = match.start() + 1
            continue
        return Found(stamp, match.start(), match.end(), layout, has_year)
    return None


def find_timestamp(line: str, now: datetime, prefer: str | None = None) -> Found | None:
    """The earliest written timestamp in the line's head (or an epoch number when there is none).

    `prefer` is the layout the file usually uses; a hit at the very start of the line then ends the search."""
    if prefer is not None:
        found = _try(prefer, line, now)
        if found is not None and found.start <= 2:
            return found
    best: Found | None = None
    for layout in _WRITTEN:
        found = _try(layout, line, now)
        if found is not None and (best is None or found.start < best.start
                                  or (found.start == best.start and found.end > best.end)):
            best = found
    if best is not None and not best.has_year:
        return _year_from_line(best, line)
    return best or _try("epoch", line, now)


_DATED = re.compile(r"(?<![\w.:/-])((?:19|20)\d\d)[-/.]?([01]\d)[-/.]?([0-3]\d)(?![\d])")


def _year_from_line(found: Found, line: str) -> Found:
    """A year-less stamp takes the year of a date elsewhere in the head naming the same day (`2005.11.09 ... Nov 9`)."""
    stamp = found.timestamp
    for match in _DATED.finditer(line, 0, HEAD_CHARS):
        if int(match[2]) == stamp.month and int(match[3]) == stamp.day:
            try:
                return Found(stamp.replace(year=int(match[1])), found.start, found.end, found.layout, True)
            except ValueError:
                break
    return found


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 stamp (nanoseconds cut to micro), naive ones in UTC; None when it is not one."""
    match = LAYOUTS["iso"].match(text)
    if match is None:
        return None
    try:
        return _build("iso", match.groupdict(), datetime.now(UTC))[0]
    except (ValueError, OverflowError):
        return None


class TimestampFinder:
    """Per-file finder: learns which layout the file's lines use and where, and tries that first.

    On the learned path the stamp must start where the file puts it, and a stamp text seen on the line before
    (busy logs write many lines a second) is not parsed again."""

    LEARN_LINES = 200

    def __init__(self, now: datetime | None = None):
        self.now = now or datetime.now(UTC)
        self._votes: dict[tuple[str, int], int] = {}
        self._seen = 0
        self._layout: str | None = None
        self._start: int = -1
        self._last_text = ""
        self._last: Found | None = None

    def _fast(self, line: str) -> Found | None:
        pattern = LAYOUTS[self._layout]
        match = pattern.match(line, self._start, HEAD_CHARS) if self._start >= 0 else pattern.search(line, 0,
                                                                                                      HEAD_CHARS)
        if match is None:
            return None
        start, end = match.span()
        fraction = match.group("f") if "f" in match.re.groupindex else None
        if fraction:  # the same second with another fraction: reuse the second, set the fraction
            cut_from, cut_to = match.span("f")
            key = line[start:cut_from] + line[cut_to:end]
        else:
            key = line[start:end]
        last = self._last
        if key != self._last_text or last is None:
            try:
                stamp, has_year = _build(self._layout, match.groupdict(), self.now)
            except (ValueError, OverflowError, KeyError):
                return None
            last = Found(stamp, start, end, self._layout, has_year)
            if not has_year:
                last = _year_from_line(last, line)
            self._last_text, self._last = key, last
        stamp = last.timestamp.replace(microsecond=_micro(fraction)) if fraction else last.timestamp
        return Found(stamp, start, end, last.layout, last.has_year)

    def find(self, line: str) -> Found | None:
        if self._layout is not None:
            found = self._fast(line)
            return found if found is not None else find_timestamp(line, self.now)
        found = find_timestamp(line, self.now)
        if found is not None:
            key = (found.layout, found.start)
            self._votes[key] = self._votes.get(key, 0) + 1
        self._seen += 1
        if self._seen >= self.LEARN_LINES and self._votes:
            self._learn()
        return found

    def _learn(self) -> None:
        """Settle on the layout (and its position, when fixed) that at least 90% of the first lines use."""
        (layout, start), votes = max(self._votes.items(), key=lambda kv: kv[1])
        per_layout: dict[str, int] = {}
        for (name, _), count in self._votes.items():
            per_layout[name] = per_layout.get(name, 0) + count
        if votes * 10 >= self._seen * 9:
            self._layout, self._start = layout, start
        elif max(per_layout.values()) * 10 >= self._seen * 9:
            self._layout, self._start = max(per_layout, key=per_layout.__getitem__), -1  # its position moves (a variable-width field before it)
        else:
            self._seen = -10**9  # mixed layouts: keep searching every line
