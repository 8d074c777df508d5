"""Range check for 5-field cron schedules (the JSON Schema checks the shape, this checks the numbers)."""

from __future__ import annotations

import re

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
NAMES = {
    "month": {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)},
    "day of week": {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])},
}
DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def _value(text: str, field: str) -> int:
    return NAMES.get(field, {}).get(text.upper(), None) if not text.isdigit() else int(text)


def problems(schedule: str) -> list[str]:
    """Why `schedule` is not a valid cron line; empty when it is."""
    schedule = re.sub(r"^(CRON_TZ|TZ)=\S+ ", "", schedule.strip())
    if schedule in DESCRIPTORS or schedule.startswith("@every "):
        return []
    parts = schedule.split()
    if len(parts) != len(FIELDS):
        return [f"{len(parts)} fields, expected {len(FIELDS)}"]
    found = []
    for part, (field, low, high) in zip(parts, FIELDS):
        for item in part.split(","):
            base, _, step = item.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                found.append(f"{field}: bad step {step!r}")
            if base in ("*", "?"):
                continue
            for bound in base.split("-", 1):
                value = _value(bound, field)
                if value is None or not low <= value <= high:
                    found.append(f"{field}: {bound!r} outside {low}-{high}")
    return found
