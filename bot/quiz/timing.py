"""Pure time arithmetic for daily slots: zones and local fire times across DST."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserInputError

EXAMPLE = "`/quiz schedule 09:00 Europe/Paris`"


def zone(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserInputError(
            f"Unknown timezone. Use an IANA name such as `Europe/Paris`, `America/New_York` or `UTC`, e.g. {EXAMPLE}."
        ) from None


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
