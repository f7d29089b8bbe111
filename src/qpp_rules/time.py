"""Windows of time, in US Eastern time, and instants.

Every rule decides on an *instant*: an aware datetime, in any zone. A naive datetime (a
wall-clock reading whose zone is unknown) is refused with
:class:`~qpp_rules.errors.NaiveDateTime`. Windows are half-open: open from ``opens``
(inclusive), closed from ``closes`` (exclusive); REG-WIN-1 (design).

>>> import pendulum
>>> from qpp_rules import Window, eastern
>>> w = Window(eastern(2019, 4, 4, 10), eastern(2019, 7, 1, 17))
>>> w.contains(pendulum.datetime(2019, 7, 1, 20, 59, 59, tz="UTC"))
True
>>> w.contains(pendulum.datetime(2019, 7, 1, 21, 0, 0, tz="UTC"))
False
"""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from qpp_rules.errors import InvalidInput, NaiveDateTime

__all__ = ["EASTERN", "Window", "eastern", "instant", "utc_key"]

EASTERN = pendulum.timezone("America/New_York")
"""The zone every QPP deadline is written in (ET, DST-aware)."""


def eastern(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> pendulum.DateTime:
    """The instant at a wall-clock reading in US Eastern time.

    >>> eastern(2019, 7, 1, 17).isoformat()
    '2019-07-01T17:00:00-04:00'

    A reading that does not exist (inside the spring-forward gap) moves forward by the gap; a
    reading that happens twice (the fall-back hour) is the later one, in standard time.
    """
    parts = {"year": year, "month": month, "day": day, "hour": hour, "minute": minute,
             "second": second}
    for name, value in parts.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(name, f"a whole number; got {type(value).__name__}")
    try:
        return pendulum.datetime(year, month, day, hour, minute, second, tz=EASTERN)
    except (ValueError, OverflowError) as error:
        raise InvalidInput("eastern", f"not a date and time: {error}") from None


def instant(at: object, field: str = "at") -> pendulum.DateTime:
    """An aware datetime as a pendulum DateTime in US Eastern time: the same instant, read
    through the caller's own time zone (``fold`` included) and never shifted.

    Raises ``NaiveDateTime`` for a naive datetime and ``InvalidInput`` for anything that is
    not a datetime or whose time zone gives no valid UTC offset (an offset of 24 hours or
    more, an offset that is not a ``timedelta``, a broken ``tzinfo``), naming ``field``.

    >>> import datetime
    >>> instant(datetime.datetime(2019, 7, 1, 21, tzinfo=datetime.timezone.utc)).isoformat()
    '2019-07-01T17:00:00-04:00'
    """
    if type(at) is pendulum.DateTime and isinstance(at.tzinfo, pendulum.Timezone):
        return at if at.tzinfo is EASTERN else at.in_timezone(EASTERN)  # pendulum's own
    if not isinstance(at, _dt.datetime):
        raise _not_an_instant(at, field)
    since = utc_key(at, field)  # the caller's tzinfo reads its own fold
    try:
        return pendulum.instance(_EPOCH + since).in_timezone(EASTERN)
    except (OverflowError, ValueError):  # e.g. datetime.min in UTC is before year 1 in ET
        raise InvalidInput(field, "an instant US Eastern time can express") from None


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_since = _dt.datetime.__sub__


def _not_an_instant(at: object, field: str) -> InvalidInput:
    """Why ``at`` has no UTC reading: not a datetime, naive, or a time zone that fails."""
    if not isinstance(at, _dt.datetime):
        return InvalidInput(field, f"an aware datetime; got {type(at).__name__}")
    try:
        offset = at.utcoffset()  # the datetime checks what its tzinfo answers
    except Exception as error:  # the caller's tzinfo may fail in any way
        problem = f"{type(error).__name__}: {error}"[:200]
        return InvalidInput(
            field, f"an aware datetime whose time zone gives a UTC offset (a timedelta "
            f"strictly between -24 and 24 hours); its tzinfo failed: {problem}"
        )
    if offset is None:
        return NaiveDateTime(
            field, "a naive datetime has no time zone; give an aware one"
        )
    return InvalidInput(field, "an instant that can be expressed in UTC")


def utc_key(at: _dt.datetime, field: str = "at") -> _dt.timedelta:
    """An aware instant as the exact time since the epoch: what to compare instants by.

    Python compares two datetimes that share a tzinfo by their wall-clock readings, ignoring
    DST's ``fold``: in the hour repeated each November, 01:00 EST would sort before 01:22 EDT
    though it is 38 minutes later. Keys taken here compare as the instants do. Anything that
    is not an aware datetime with a valid UTC offset raises ``InvalidInput`` (``NaiveDateTime``
    for a naive one) naming ``field``.

    >>> early = instant(_dt.datetime(2036, 11, 2, 5, 22, tzinfo=_dt.timezone.utc))  # 01:22 EDT
    >>> late = early.add(minutes=38)                                # 01:00 EST, 38 min later
    >>> late > early, utc_key(late) > utc_key(early)
    (False, True)
    """
    try:
        return _since(at, _EPOCH)
    except Exception:  # not a datetime, naive, or a tzinfo that fails
        error = _not_an_instant(at, field)
    raise error  # outside the handler: the caller's failure is not kept as __context__


def _opens(value: object) -> pendulum.DateTime:
    return instant(value, "opens")


def _closes(value: object) -> pendulum.DateTime:
    return instant(value, "closes")


@attrs.frozen
class Window:
    """A half-open window of time in US Eastern time: ``opens <= at < closes``.

    >>> w = Window(eastern(2021, 4, 1, 10), eastern(2021, 6, 30, 20))
    >>> w.contains(eastern(2021, 6, 30, 19, 59, 59)), w.contains(eastern(2021, 6, 30, 20))
    (True, False)
    """

    opens: pendulum.DateTime = attrs.field(converter=_opens, eq=utc_key)
    closes: pendulum.DateTime = attrs.field(converter=_closes, eq=utc_key)
    _span: tuple[_dt.timedelta, _dt.timedelta] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_span", (utc_key(self.opens), utc_key(self.closes)))
        if not self._span[1] > self._span[0]:
            raise InvalidInput(
                "closes",
                f"a window closes after it opens; opens {self.opens.isoformat()}, "
                f"closes {self.closes.isoformat()}",
            )

    def contains(self, at: _dt.datetime) -> bool:
        """Whether the aware instant ``at`` (any zone) falls inside the window."""
        opens, closes = self._span
        return opens <= utc_key(at) < closes

    def __contains__(self, at: _dt.datetime) -> bool:
        return self.contains(at)

    def describe(self) -> str:
        """The window as a person reads it, in ET.

        >>> Window(eastern(2019, 4, 4, 10), eastern(2019, 7, 1, 17)).describe()
        '2019-04-04 10:00 EDT to 2019-07-01 17:00 EDT (closed from then on)'
        """
        return (
            f"{self.opens.format('YYYY-MM-DD HH:mm zz')} to "
            f"{self.closes.format('YYYY-MM-DD HH:mm zz')} (closed from then on)"
        )
