"""Pure time arithmetic for daily slots: parsing ``HH:MM [zone]`` and local fire times across DST."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserInputError

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
EXAMPLE = "`quiz schedule 09:00 Europe/Paris`"


def zone(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserInputError(
            f"Unknown timezone. Use an IANA name such as `Europe/Paris`, `America/New_York` or `UTC`, e.g. {EXAMPLE}."
        ) from None


def parse_schedule(args: str, default_tz: str) -> tuple[int, int, str]:
    """``"09:00 Europe/Paris"`` → (9, 0, "Europe/Paris"); raises UserInputError with an example."""
    parts = args.split()
    if not parts or len(parts) > 2:
        raise UserInputError(f"Give a time and optionally a timezone, e.g. {EXAMPLE}.")
    match = _TIME.match(parts[0])
    if not match:
        raise UserInputError(f"Times are 24-hour `HH:MM` (00:00 to 23:59), e.g. {EXAMPLE}.")
    tz = parts[1] if len(parts) == 2 else default_tz
    zone(tz)
    return int(match[1]), int(match[2]), tz


def local_fire(day: date, hour: int, minute: int, tz: str) -> datetime:
    """The UTC instant of ``hour:minute`` wall-clock time on ``day`` in ``tz``.

    On a spring-forward day a non-existent time moves forward by the gap (02:30 → 03:30 in
    Paris); on a fall-back day an ambiguous time takes its first occurrence.
    """
    local = datetime.combine(day, time(hour, minute), tzinfo=zone(tz))
    utc = local.astimezone(timezone.utc)
    back = utc.astimezone(zone(tz))
    if (back.hour, back.minute) != (hour, minute):  # fell into a DST gap
        utc = utc.astimezone(zone(tz)).astimezone(timezone.utc)
    return utc


def latest_fire(hour: int, minute: int, tz: str, now: datetime) -> tuple[date, datetime]:
    """The most recent slot at or before ``now``: (channel-local date, UTC instant)."""
    today = now.astimezone(zone(tz)).date()
    for day in (today, today - timedelta(days=1)):
        fire = local_fire(day, hour, minute, tz)
        if fire <= now:
            return day, fire
    day = today - timedelta(days=2)  # unreachable in practice; kept so the function is total
    return day, local_fire(day, hour, minute, tz)


def next_fire(hour: int, minute: int, tz: str, now: datetime) -> datetime:
    """The first slot strictly after ``now`` (UTC)."""
    today = now.astimezone(zone(tz)).date()
    for offset in range(3):
        fire = local_fire(today + timedelta(days=offset), hour, minute, tz)
        if fire > now:
            return fire
    raise AssertionError("no slot within three days")


def local_date(now: datetime, tz: str) -> date:
    return now.astimezone(zone(tz)).date()


def week_start(now: datetime, tz: str) -> date:
    """Monday of the current week in the channel's timezone."""
    today = local_date(now, tz)
    return today - timedelta(days=today.weekday())
