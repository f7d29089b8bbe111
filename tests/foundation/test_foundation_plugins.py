"""Policy-year plug-ins: discovery through the entry-point group
``qpp_rules.policy_years``; two providers of one year are an error naming both; a broken
provider is reported by name while the other years still load; the first discovery racing
from many threads gives one answer.

The entry points are faked by monkeypatching ``qpp_rules.policy.registry._entry_points``;
the fixture ``plugins`` restores the real discovery after each test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest

import qpp_rules as qr
from qpp_rules.errors import PolicyConflict, PolicyError, UnknownPolicyYear
from qpp_rules.policy import GROUP, load_policy_text, registry


class FakeDist:
    """What an installed distribution shows the registry: its metadata."""

    def __init__(self, name: str) -> None:
        self.metadata = {"Name": name}


class BrokenDist:
    """A distribution whose metadata cannot be read."""

    @property
    def metadata(self) -> dict[str, str]:
        raise OSError("METADATA is unreadable")


class FakeEntry:
    """An entry point of the group: name, value, distribution, and what loading it does."""

    def __init__(self, dist: Any, name: str, load: Callable[[], Any]) -> None:
        self.dist = dist
        self.name = name
        self.value = f"{name.replace('-', '_')}:years"
        self.group = GROUP
        self._load = load

    def load(self) -> Any:
        return self._load()


def extra_year(year: int = 2099, title: str = "Example year") -> qr.PolicyYear:
    """A plug-in's year: PY2021's table moved to ``year`` (an example, not CMS policy)."""
    text = resources.files("qpp_rules.policy.years").joinpath("py2021.toml").read_text()
    text = text.replace("year = 2021", f"year = {year}", 1)
    text = text.replace('title = "Performance year 2021"', f'title = "{title}"', 1)
    text = text.replace("opens = 2021-04-01", f"opens = {year}-04-01")
    text = text.replace("closes = 2021-06-30", f"closes = {year}-06-30")
    return load_policy_text(text, f"py{year}-example.toml")


def entry(dist: str, load: Callable[[], Any], name: str = "years") -> FakeEntry:
    return FakeEntry(FakeDist(dist), name, load)


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Install fake entry points (the built-in years still come from the source checkout);
    forget every discovery before and after, so later tests see the real plug-ins."""

    def install(*entries: Any) -> None:
        monkeypatch.setattr(registry, "_entry_points", lambda: list(entries))
        registry.reload()

    registry.reload()
    yield install
    registry.reload()


def test_the_built_in_years_come_through_the_entry_point() -> None:
    """Installed (editable), qpp-rules provides its years as entry point 'builtin'."""
    values = {entry.value for entry in registry._entry_points()}
    assert "qpp_rules.policy.years:builtin_years" in values
    assert {2018, 2019, 2021} <= set(qr.available_years())


def test_a_plug_in_year_is_found(plugins: Callable[..., None]) -> None:
    plugins(entry("qpp-rules-extra-year", lambda: extra_year))
    assert 2099 in qr.available_years()
    policy = qr.policy_for(2099)
    assert policy.year == 2099
    assert policy.title == "Example year"
    assert qr.policy_for(2019).year == 2019
    assert qr.plugin_errors() == ()


@pytest.mark.parametrize("shape", ["a PolicyYear", "a tuple", "a list", "a callable of a list",
                                   "a generator function"])
def test_a_plug_in_may_give_its_years_in_several_shapes(
    plugins: Callable[..., None], shape: str
) -> None:
    year = extra_year()
    given: Any = {
        "a PolicyYear": year,
        "a tuple": (year,),
        "a list": [year],
        "a callable of a list": lambda: [year],
        "a generator function": lambda: (item for item in [year]),
    }[shape]
    plugins(entry("qpp-rules-extra-year", lambda: given))
    assert qr.policy_for(2099) .year == 2099
    assert qr.plugin_errors() == ()


def test_two_providers_of_one_year_conflict(plugins: Callable[..., None]) -> None:
    plugins(entry("qpp-rules-extra-a", lambda: extra_year(title="A")),
            entry("qpp-rules-extra-b", lambda: extra_year(title="B")))
    with pytest.raises(PolicyConflict) as raised:
        qr.policy_for(2099)
    message = str(raised.value)
    assert "qpp-rules-extra-a" in message
    assert "qpp-rules-extra-b" in message
    assert raised.value.year == 2099
    assert len(raised.value.providers) == 2
    assert qr.policy_for(2019).year == 2019  # the other years still answer
    assert 2099 in qr.available_years()


def test_a_plug_in_cannot_override_a_built_in_year(plugins: Callable[..., None]) -> None:
    """Two providers of PY2019 is an error, never a silent override."""
    plugins(entry("qpp-rules-override", lambda: extra_year(2019, "Not CMS 2019")))
    with pytest.raises(PolicyConflict) as raised:
        qr.policy_for(2019)
    assert "qpp-rules (built-in years)" in str(raised.value)
    assert "qpp-rules-override" in str(raised.value)
    assert qr.policy_for(2018).year == 2018


def _raise(error: Exception) -> Callable[[], Any]:
    def fail() -> Any:
        raise error

    return fail


BROKEN = [
    ("raises on import", _raise(ImportError("No module named 'qpp_rules_broken'")),
     "failed to load"),
    ("raises a TypeError on import", _raise(TypeError("bad")), "failed to load"),
    ("returns the wrong type", lambda: 42, "got int"),
    ("returns text", lambda: "2099", "got str"),
    ("returns junk in a list", lambda: [extra_year(), {"year": 2098}], "got dict"),
    ("its callable returns None", lambda: (lambda: None), "got NoneType"),
    ("its callable raises", lambda: _raise(ValueError("no data file")), "no data file"),
    ("its generator raises", lambda: (lambda: (_raise(KeyError("year"))() for _ in [1])),
     "failed to give its years"),
]


@pytest.mark.parametrize(("case", "load", "words"), BROKEN, ids=[row[0] for row in BROKEN])
def test_a_broken_plug_in_is_named_and_the_others_still_load(
    plugins: Callable[..., None], case: str, load: Callable[[], Any], words: str
) -> None:
    plugins(entry("qpp-rules-broken", load),
            entry("qpp-rules-extra-year", lambda: extra_year(2098)))
    errors = qr.plugin_errors()
    assert len(errors) == 1, errors
    assert isinstance(errors[0], PolicyError)
    assert "qpp-rules-broken" in str(errors[0]), str(errors[0])
    assert words in str(errors[0]), str(errors[0])
    # the built-in years and the other plug-in still load
    assert {2018, 2019, 2021, 2098} <= set(qr.available_years())
    assert qr.policy_for(2019).year == 2019
    assert qr.policy_for(2098).year == 2098
    with pytest.raises(UnknownPolicyYear) as raised:
        qr.policy_for(2099)
    assert "qpp-rules-broken" in str(raised.value)
    known = ", ".join(str(year) for year in (*range(2017, 2027), 2098))
    assert f"known years: {known}" in str(raised.value)


def test_a_plug_in_with_unreadable_metadata_is_still_reported(
    plugins: Callable[..., None]
) -> None:
    plugins(FakeEntry(BrokenDist(), "broken-metadata", lambda: 42))
    (error,) = qr.plugin_errors()
    assert "broken_metadata:years" in str(error)
    assert qr.policy_for(2019).year == 2019


def test_a_plug_in_whose_data_file_is_broken_is_named(plugins: Callable[..., None]) -> None:
    """The usual failure: the plug-in's own data file does not load (PolicyFileError)."""

    def years() -> qr.PolicyYear:
        return load_policy_text("year = 2099\n", "qpp_rules_extra_year/py2099.toml")

    plugins(entry("qpp-rules-extra-year", lambda: years))
    (error,) = qr.plugin_errors()
    assert isinstance(error, qr.PolicyFileError)
    assert "py2099.toml" in str(error)
    assert "qpp-rules-extra-year" in str(error)
    assert 2099 not in qr.available_years()


def test_reload_finds_newly_installed_plug_ins(plugins: Callable[..., None]) -> None:
    plugins()
    assert 2099 not in qr.available_years()
    plugins(entry("qpp-rules-extra-year", lambda: extra_year))
    assert 2099 in qr.available_years()


def test_the_first_call_racing_from_many_threads_gives_one_answer(
    plugins: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery runs once, and every thread gets the same PolicyYear (and so one answer cache)."""
    calls: list[int] = []

    def slow_entry_points() -> list[Any]:
        calls.append(1)
        time.sleep(0.05)  # widen the race
        return [entry("qpp-rules-extra-year", lambda: extra_year)]

    monkeypatch.setattr(registry, "_entry_points", slow_entry_points)
    registry.reload()
    threads_count = 16
    barrier = threading.Barrier(threads_count)
    results: list[Any] = [None] * threads_count

    def ask(index: int) -> None:
        barrier.wait()
        try:
            results[index] = (qr.policy_for(2019), qr.policy_for(2099), qr.available_years())
        except Exception as error:  # surfaced by the assertions below
            results[index] = error

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(result, tuple) for result in results), results
    assert len(calls) == 1
    assert len({id(result[0]) for result in results}) == 1
    assert len({id(result[1]) for result in results}) == 1
    assert len({result[2] for result in results}) == 1
    assert len({id(result[0].answers) for result in results}) == 1


# -- plug-in code that misbehaves while it loads ----------------------------------------------
ASKS = [
    ("policy_for", lambda: qr.policy_for(2019)),
    ("available_years", qr.available_years),
    ("plugin_errors", qr.plugin_errors),
    ("reload", registry.reload),
]


@pytest.mark.parametrize(("asks", "ask"), ASKS, ids=[row[0] for row in ASKS])
@pytest.mark.parametrize("when", ["on import", "in its callable"])
def test_a_plug_in_asking_for_a_policy_while_it_loads_is_refused_not_hung(
    plugins: Callable[..., None], asks: str, ask: Callable[[], Any], when: str
) -> None:
    """Discovery runs plug-in code under the registry's lock: a lookup from that code answers
    with a PolicyError naming the plug-in (recorded as its error), never a deadlock."""
    if when == "on import":
        def load() -> Any:
            ask()
            return extra_year
    else:
        def load() -> Any:
            return lambda: (ask(), extra_year())[1]

    plugins(entry("qpp-rules-reentrant", load),
            entry("qpp-rules-extra-year", lambda: extra_year(2098)))
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(qr.plugin_errors()), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "discovery deadlocked"
    (errors,) = done
    assert len(errors) == 1, errors
    assert "qpp-rules-reentrant" in str(errors[0])
    assert "while it loads" in str(errors[0])
    assert {2018, 2019, 2021, 2098} <= set(qr.available_years())
    assert qr.policy_for(2019).year == 2019


def test_a_plug_in_waiting_on_a_thread_that_asks_for_a_policy_is_refused_not_hung(
    plugins: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another thread's lookup waits for discovery a bounded time, then names the plug-in."""
    monkeypatch.setattr(registry, "DISCOVERY_WAIT", 0.2)
    seen: list[BaseException] = []

    def load() -> Any:
        def ask() -> None:
            try:
                qr.available_years()
            except PolicyError as error:
                seen.append(error)

        helper = threading.Thread(target=ask)
        helper.start()
        helper.join()
        return extra_year

    plugins(entry("qpp-rules-waits", load))
    assert 2099 in qr.available_years()
    (error,) = seen
    assert "qpp-rules-waits" in str(error)


@pytest.mark.parametrize("where", ["on import", "in its callable"])
@pytest.mark.parametrize("code", [0, 1, "bye"])
def test_a_plug_in_raising_system_exit_is_a_broken_plug_in_not_an_exit(
    plugins: Callable[..., None], where: str, code: object
) -> None:
    def leave() -> Any:
        raise SystemExit(code)

    plugins(entry("qpp-rules-exits", leave if where == "on import" else lambda: leave),
            entry("qpp-rules-extra-year", lambda: extra_year(2098)))
    (error,) = qr.plugin_errors()
    assert isinstance(error, PolicyError)
    assert "qpp-rules-exits" in str(error)
    assert "SystemExit" in str(error) or str(code) in str(error)
    assert {2018, 2019, 2021, 2098} <= set(qr.available_years())
    assert qr.policy_for(2019).year == 2019


def test_a_keyboard_interrupt_while_a_plug_in_loads_still_stops_the_program(
    plugins: Callable[..., None]
) -> None:
    """Ctrl-C is the user's, not the plug-in's failure: it propagates, and nothing is cached,
    so the next call discovers again."""
    presses: list[int] = []

    def interrupted() -> Any:
        presses.append(1)
        if len(presses) == 1:
            raise KeyboardInterrupt
        return extra_year

    plugins(entry("qpp-rules-slow", interrupted))
    with pytest.raises(KeyboardInterrupt):
        qr.available_years()
    assert 2099 in qr.available_years()
    assert qr.plugin_errors() == ()


def test_a_broken_plug_in_is_reported_once_through_the_qpp_rules_logger(
    plugins: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    plugins(entry("qpp-rules-broken", _raise(ImportError("No module named 'x'"))),
            entry("qpp-rules-extra-year", lambda: extra_year(2098)))
    with caplog.at_level("WARNING", logger="qpp_rules"):
        qr.available_years()
        qr.policy_for(2019)
        qr.plugin_errors()
    warnings = [record for record in caplog.records if record.name == "qpp_rules"]
    assert len(warnings) == 1, warnings
    assert warnings[0].levelname == "WARNING"
    assert "qpp-rules-broken" in warnings[0].getMessage()


def test_working_plug_ins_log_nothing(
    plugins: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    plugins(entry("qpp-rules-extra-year", lambda: extra_year))
    with caplog.at_level("DEBUG", logger="qpp_rules"):
        assert 2099 in qr.available_years()
    assert [record for record in caplog.records if record.name == "qpp_rules"] == []
