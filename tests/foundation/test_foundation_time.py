"""Windows of time: REG-WIN-1 (half-open, America/New_York, DST-aware) and
ELE-WIN-1, pinned at the exact edges in UTC, from the guides' own dates.

- REG-GUIDE-2018: "between April 1, 2018 and June 30, 2018 (11:59pm EDT)"
- REG-GUIDE-2019: "opens on Monday, April 4, 2019 at 10:00am Eastern Time (ET) and closes on
  Monday, July 1, 2019 at 5:00pm ET" (E2)
- REG-GUIDE-2021: "opens on Thursday, April 1, 2021 at 10 a.m. ET and closes on Wednesday,
  June 30, 2021 at 8 p.m. ET"
- ELECTION-GUIDE-2019: "opens on January 2, 2020 at 10:00 am Eastern Time (ET) and closes
  March 31, 2020 at 8:00 pm ET" (EST when it opens, EDT when it closes)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.errors import InvalidInput, NaiveDateTime
from qpp_rules.policy.unknown import known
from qpp_rules.time import EASTERN, Window, eastern, instant, utc_key

SECOND = pendulum.duration(seconds=1)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, second, tz="UTC")


def published(year: int) -> qr.PolicyYear:
    """The policy as published (no amendment applied)."""
    return qr.policy_for(year, as_of=eastern(year, 1, 1))


EDGES = [
    # (rule, which window, opens in UTC, closes in UTC)
    ("REG-WIN-1 PY2018 (E1)", lambda: known(published(2018), "registration.window", "REG-WIN-1"),
     utc(2018, 4, 1, 4), utc(2018, 7, 1, 4)),
    ("REG-WIN-1 PY2019 (E2)", lambda: known(published(2019), "registration.window", "REG-WIN-1"),
     utc(2019, 4, 4, 14), utc(2019, 7, 1, 21)),
    ("REG-WIN-1 PY2021", lambda: known(published(2021), "registration.window", "REG-WIN-1"),
     utc(2021, 4, 1, 14), utc(2021, 7, 1, 0)),
    ("ELE-WIN-1 PY2019 as published", lambda: published(2019).election.window,
     utc(2020, 1, 2, 15), utc(2020, 4, 1, 0)),
]


@pytest.mark.parametrize(("rule", "window_of", "opens", "closes"), EDGES,
                         ids=[edge[0] for edge in EDGES])
def test_window_edges_in_utc(rule: str, window_of: Any, opens: Any, closes: Any) -> None:
    window: Window = window_of()
    assert window.opens == opens, rule
    assert window.closes == closes, rule
    assert not window.contains(opens - SECOND), rule  # the last instant before: closed
    assert window.contains(opens), rule  # the first instant: open (half-open)
    assert window.contains(closes - SECOND), rule  # the last second: open
    assert not window.contains(closes), rule  # the closing instant: closed
    assert not window.contains(closes + SECOND), rule


def test_reg_win_1_py2019_closes_at_21_utc() -> None:
    """REG-WIN-1: 5:00 pm EDT on 2019-07-01 is 21:00:00Z; 20:59:59Z is inside."""
    window = known(published(2019), "registration.window", "REG-WIN-1")
    assert window.contains(utc(2019, 7, 1, 20, 59, 59))
    assert not window.contains(utc(2019, 7, 1, 21, 0, 0))
    assert window.contains(pendulum.datetime(2019, 7, 1, 20, 59, 59, 999999, tz="UTC"))


def test_reg_win_1_py2018_whole_1159_pm_minute_is_inside() -> None:
    """REG-WIN-1 (design): '11:59pm EDT' on June 30 keeps the whole minute inside."""
    window = known(published(2018), "registration.window", "REG-WIN-1")
    assert window.contains(eastern(2018, 6, 30, 23, 59, 59))
    assert window.opens.isoformat() == "2018-04-01T00:00:00-04:00"
    assert window.closes.isoformat() == "2018-07-01T00:00:00-04:00"


def test_ele_win_1_opens_in_est_and_closes_in_edt() -> None:
    """ELE-WIN-1: the PY2019 election window spans the 2020 spring-forward (March 8)."""
    window = published(2019).election.window
    assert window is not None
    assert window.opens.utcoffset() == dt.timedelta(hours=-5)
    assert window.closes.utcoffset() == dt.timedelta(hours=-4)
    assert window.contains(utc(2020, 1, 2, 15))
    assert not window.contains(utc(2020, 1, 2, 14, 59, 59))
    assert window.contains(utc(2020, 3, 31, 23, 59, 59))
    assert not window.contains(utc(2020, 4, 1, 0))


def test_stdlib_aware_datetimes_and_other_zones_at_the_same_instant() -> None:
    """Any zone: a stdlib aware datetime and Asia/Tokyo give the same answer as UTC."""
    window = known(published(2019), "registration.window", "REG-WIN-1")
    last = dt.datetime(2019, 7, 1, 20, 59, 59, tzinfo=dt.UTC)
    close = dt.datetime(2019, 7, 1, 21, 0, 0, tzinfo=dt.UTC)
    assert window.contains(last)
    assert not window.contains(close)
    tokyo_last = pendulum.datetime(2019, 7, 2, 5, 59, 59, tz="Asia/Tokyo")
    tokyo_close = pendulum.datetime(2019, 7, 2, 6, 0, 0, tz="Asia/Tokyo")
    assert tokyo_close == close
    assert window.contains(tokyo_last)
    assert not window.contains(tokyo_close)
    zoneinfo_close = close.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert not window.contains(zoneinfo_close)
    assert tokyo_last in window  # the operator form


@given(st.datetimes(min_value=dt.datetime(2017, 1, 1), max_value=dt.datetime(2023, 1, 1)),
       st.sampled_from(["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu",
                        "Asia/Kolkata"]))
def test_contains_depends_only_on_the_instant(moment: dt.datetime, zone: str) -> None:
    """REG-WIN-1: opens <= at < closes, whatever zone 'at' is written in."""
    window = known(published(2019), "registration.window", "REG-WIN-1")
    at = pendulum.instance(moment, tz="UTC")
    in_zone = at.in_timezone(zone)
    expected = window.opens <= at < window.closes
    assert window.contains(at) is expected
    assert window.contains(in_zone) is expected
    assert window.contains(dt.datetime.fromtimestamp(at.timestamp(), dt.UTC)) is expected


def test_naive_datetimes_are_refused() -> None:
    window = known(published(2019), "registration.window", "REG-WIN-1")
    for naive in (dt.datetime(2019, 7, 1, 12), pendulum.naive(2019, 7, 1, 12)):
        with pytest.raises(NaiveDateTime) as raised:
            window.contains(naive)
        assert raised.value.field == "at"
        with pytest.raises(NaiveDateTime):
            instant(naive, "registered_at")
        with pytest.raises(NaiveDateTime, match="opens"):
            Window(naive, eastern(2030, 1, 1))
        with pytest.raises(NaiveDateTime, match="closes"):
            Window(eastern(2000, 1, 1), naive)


class _NoOffset(dt.tzinfo):
    """A tzinfo that knows no offset: the datetime is naive in all but name."""

    def utcoffset(self, _: dt.datetime | None) -> None:
        return None

    def tzname(self, _: dt.datetime | None) -> str:
        return "?"

    def dst(self, _: dt.datetime | None) -> None:
        return None


def test_a_tzinfo_without_an_offset_is_naive() -> None:
    window = known(published(2019), "registration.window", "REG-WIN-1")
    with pytest.raises(NaiveDateTime):
        window.contains(dt.datetime(2019, 7, 1, tzinfo=_NoOffset()))
    with pytest.raises(NaiveDateTime):
        instant(dt.datetime(2019, 7, 1, tzinfo=_NoOffset()))


@pytest.mark.parametrize("junk", [None, "2019-07-01T21:00:00Z", 1561993200, dt.date(2019, 7, 1),
                                  pendulum.duration(days=1)])
def test_junk_instants_are_invalid_input(junk: object) -> None:
    window = known(published(2019), "registration.window", "REG-WIN-1")
    with pytest.raises(InvalidInput) as raised:
        window.contains(junk)
    assert raised.value.field == "at"
    with pytest.raises(InvalidInput, match="as_of"):
        instant(junk, "as_of")
    with pytest.raises(InvalidInput):
        Window(junk, eastern(2030, 1, 1))


def test_a_window_closing_before_it_opens_is_invalid() -> None:
    with pytest.raises(InvalidInput) as raised:
        Window(eastern(2019, 7, 1, 17), eastern(2019, 4, 4, 10))
    assert raised.value.field == "closes"
    assert not isinstance(raised.value, NaiveDateTime)
    with pytest.raises(InvalidInput, match="closes"):
        Window(eastern(2019, 7, 1, 17), eastern(2019, 7, 1, 17))  # empty: closes == opens
    window = Window(eastern(2019, 4, 4, 10), eastern(2019, 7, 1, 17))
    with pytest.raises(InvalidInput, match="closes"):
        attrs.evolve(window, closes=eastern(2019, 1, 1))  # evolve re-validates


def test_a_window_is_held_in_eastern_time() -> None:
    window = Window(utc(2019, 4, 4, 14), dt.datetime(2019, 7, 1, 21, tzinfo=dt.UTC))
    assert window.opens.timezone_name == EASTERN.name
    assert window.closes.timezone_name == EASTERN.name
    assert window.opens.isoformat() == "2019-04-04T10:00:00-04:00"
    assert window == known(published(2019), "registration.window", "REG-WIN-1")
    assert hash(window) == hash(known(published(2019), "registration.window", "REG-WIN-1"))
    assert window.describe() == (
        "2019-04-04 10:00 EDT to 2019-07-01 17:00 EDT (closed from then on)"
    )


def test_eastern_readings_across_dst() -> None:
    assert eastern(2020, 1, 2, 10) == utc(2020, 1, 2, 15)  # EST
    assert eastern(2020, 3, 31, 20) == utc(2020, 4, 1, 0)  # EDT
    assert eastern(2019, 3, 10, 2, 30) == eastern(2019, 3, 10, 3, 30)  # the gap moves forward
    assert eastern(2019, 11, 3, 1, 30).utcoffset() == dt.timedelta(hours=-5)  # later reading


@pytest.mark.parametrize(("parts", "field"), [
    ((2019, 13, 1), "eastern"),
    ((2019, 2, 30), "eastern"),
    ((True, 1, 1), "year"),
    (("2019", 1, 1), "year"),
    ((2019, 1, 1, 10.5), "hour"),
])
def test_eastern_refuses_junk(parts: tuple[Any, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        eastern(*parts)
    assert raised.value.field == field


def test_instant_converts_to_eastern() -> None:
    moment = instant(dt.datetime(2019, 7, 1, 21, tzinfo=dt.UTC))
    assert moment.isoformat() == "2019-07-01T17:00:00-04:00"
    assert isinstance(moment, pendulum.DateTime)


def test_reg_win_1_the_repeated_november_hour_compares_as_instants() -> None:
    """REG-WIN-1 half-open windows hold across the DST fall-back: 01:00 EST comes 38 minutes
    after 01:22 EDT, though its wall-clock reading is earlier (Python compares two datetimes
    of one zone by wall clock; the library compares instants)."""
    first = qr.instant(dt.datetime(2036, 11, 2, 5, 22, tzinfo=dt.UTC))  # 01:22 EDT
    later = first.add(minutes=38)                     # 01:00 EST, the second 01:00
    assert later.utcoffset() != first.utcoffset()
    window = qr.Window(first, later)
    assert window.contains(first)
    assert window.contains(first.add(minutes=37, seconds=59))
    assert not window.contains(later)
    with pytest.raises(qr.InvalidInput):
        qr.Window(later, first)


# -- instants from any tzinfo, read without shifting or failing --------------------------------
def _zones_of_the_repeated_hour() -> list[dt.tzinfo]:
    import zoneinfo

    keyed = zoneinfo.ZoneInfo("America/New_York")
    with open(f"/usr/share/zoneinfo/{keyed.key}", "rb") as data:  # a zone with no key
        unkeyed = zoneinfo.ZoneInfo.from_file(data)
    return [keyed, unkeyed, zoneinfo.ZoneInfo("America/Chicago"), EASTERN]


@pytest.mark.parametrize("fold", [0, 1])
@pytest.mark.parametrize("minute", [0, 22, 59])
def test_instant_keeps_the_repeated_november_hour_as_given(fold: int, minute: int) -> None:
    """REG-WIN-1: an aware value in the hour repeated each November, fold 0 (daylight time)
    or 1 (standard time), is the instant its own tzinfo says, never an hour off; Window and
    instant() agree on it."""
    for zone in _zones_of_the_repeated_hour():
        at = dt.datetime(2019, 11, 3, 1, minute, tzinfo=zone, fold=fold)
        expected = at.astimezone(dt.UTC)
        got = instant(at)
        assert got.in_timezone("UTC") == expected, (zone, fold)
        window = Window(expected, expected + dt.timedelta(seconds=1))
        assert window.contains(at)
        assert window.contains(got)


def test_instant_matches_stdlib_conversion_for_every_zone_reading() -> None:
    """Every quarter hour around both 2019 transitions, in both folds."""
    for zone in _zones_of_the_repeated_hour():
        for day, hour, minute, fold in [(d, h, m, f) for d in (3,) for h in range(0, 4)
                                        for m in (0, 15, 30, 45) for f in (0, 1)]:
            for month in (3, 11):
                at = dt.datetime(2019, month, 10 if month == 3 else day, hour, minute,
                                 tzinfo=zone, fold=fold)
                assert utc_key(instant(at)) == utc_key(at), (zone, at, fold)
