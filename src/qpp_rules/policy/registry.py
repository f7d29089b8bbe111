"""Finding policy years: the entry-point group ``qpp_rules.policy_years``.

Built-in years and third-party years are found the same way. An entry point loads to a
:class:`PolicyYear`, an iterable of them, or a callable returning either. Two providers of
one year is an error (:class:`~qpp_rules.errors.PolicyConflict`), never a silent override;
a broken provider is reported by name (:func:`plugin_errors`, and once through the
``qpp_rules`` logger) and the other years still load.

Plug-in code runs during discovery. A provider that raises ``SystemExit`` while loading is a
broken provider like any other; ``KeyboardInterrupt`` still propagates (it is the user
stopping the program, not the plug-in failing: swallowing it would leave the process
uninterruptible, and blame the plug-in for it), and discovery runs again on the next call. A
provider that asks for a policy (``policy_for``, ``available_years``, ``plugin_errors``,
``reload``) while it loads gets a :class:`~qpp_rules.errors.PolicyError` naming it, never a
hang; a thread that waits on another thread's discovery gives up after
:data:`DISCOVERY_WAIT` seconds with a ``PolicyError`` naming the provider being loaded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib import metadata
import attrs

from qpp_rules.errors import (
    InvalidInput,
    PolicyConflict,
    PolicyError,
    PolicyFileError,
    UnknownPolicyYear,
    shown,
)
from qpp_rules.policy.model import PolicyYear
from qpp_rules.time import instant, utc_key

__all__ = ["GROUP", "available_years", "plugin_errors", "policy_for", "reload"]

GROUP = "qpp_rules.policy_years"
DISCOVERY_WAIT = 120.0
"""Seconds a thread waits for another thread's discovery before giving up with an error."""
_log = logging.getLogger("qpp_rules")
_BUILTIN_VALUE = "qpp_rules.policy.years:builtin_years"


@attrs.frozen
class _Catalogue:
    providers: dict[int, tuple[tuple[str, PolicyYear], ...]]
    errors: tuple[PolicyError, ...]


_lock = threading.Lock()
_catalogue: _Catalogue | None = None
_discovering: int | None = None  # the thread running discovery, while it runs
_loading = ""  # the provider whose code runs now, during discovery
_amended: dict[tuple[int, tuple[str, ...]], PolicyYear] = {}


def _entry_points() -> list[metadata.EntryPoint]:
    from importlib import metadata  # imported on first discovery, keeping imports fast

    return list(metadata.entry_points(group=GROUP))


def _provider_name(entry: metadata.EntryPoint) -> str:
    """The distribution and entry point, as errors name a provider."""
    try:
        dist = getattr(entry, "dist", None)
        name = (dist.metadata["Name"] if dist is not None else None) or "?"
        return f"{name} ({entry.name} = {entry.value})"
    except Exception:  # a provider with broken metadata is still named as well as it can be
        return f"? ({getattr(entry, 'name', '?')} = {getattr(entry, 'value', '?')})"


def _years_of(loaded: Any, provider: str) -> list[PolicyYear]:
    """The years an entry point gives: a PolicyYear, an iterable of them, or a callable
    returning either. Whatever goes wrong is a PolicyFileError naming the provider."""
    try:
        if callable(loaded) and not isinstance(loaded, PolicyYear):
            loaded = loaded()
        if isinstance(loaded, PolicyYear):
            return [loaded]
        if isinstance(loaded, str | bytes | Mapping) or not isinstance(loaded, Iterable):
            given = type(loaded).__name__
        else:
            given = ""
            items = list(loaded)
    except (Exception, SystemExit) as error:  # the plug-in's own failure, e.g. its data file
        raise PolicyFileError(provider, "", f"failed to give its years: {error}") from error
    if given:
        raise PolicyFileError(
            provider, "", f"a plug-in gives PolicyYear values (or an iterable or a callable of "
            f"them); got {given}"
        )
    for item in items:
        if not isinstance(item, PolicyYear):
            raise PolicyFileError(
                provider, "", f"a plug-in gives PolicyYear values; got {type(item).__name__}"
            )
    return items


def _failed(name: str, what: str, error: BaseException) -> PolicyError:
    """A provider's failure as the PolicyError naming it (SystemExit too: its code)."""
    if isinstance(error, PolicyFileError) and error.source == name:
        return error
    shown_error = str(error) if isinstance(error, PolicyError) else repr(error)
    return PolicyFileError(name, "", f"{what}: {shown_error}")


def _discover() -> _Catalogue:
    global _loading
    found: dict[int, list[tuple[str, PolicyYear]]] = {}
    errors: list[PolicyError] = []
    entries = _entry_points()
    sources: list[tuple[str, Any]] = []
    if not any(entry.value == _BUILTIN_VALUE for entry in entries):
        from qpp_rules.policy.years import builtin_years  # not installed: a source checkout

        sources.append(("qpp-rules (built-in years)", builtin_years))
    for entry in entries:
        name = _loading = _provider_name(entry)
        try:
            sources.append((name, entry.load()))
        except (Exception, SystemExit) as error:  # a broken plug-in must not break the others
            errors.append(_failed(name, "failed to load", error))
    for name, loaded in sources:
        _loading = name
        try:
            years = _years_of(loaded, name)
        except (Exception, SystemExit) as error:
            errors.append(_failed(name, "failed to give its years", error))
            continue
        for policy in years:
            found.setdefault(policy.year, []).append((name, policy))
    providers = {year: tuple(items) for year, items in found.items()}
    return _Catalogue(providers, tuple(errors))


def _acquire() -> None:
    """Take the lock, or raise PolicyError where waiting would hang: plug-in code asking
    for a policy while discovery (in this thread) runs it, or a discovery that never ends."""
    if _discovering == threading.get_ident():
        raise PolicyError(
            f"{_loading}: a policy-year plug-in may not ask for policy years while it loads "
            f"(they are being discovered); ask when a policy is needed, after loading"
        )
    if not _lock.acquire(timeout=DISCOVERY_WAIT):
        raise PolicyError(
            f"{_loading or '?'}: the policy years were still being discovered after "
            f"{DISCOVERY_WAIT:g} s (does this plug-in wait on a thread that asks for a policy?)"
        )


def _get_catalogue() -> _Catalogue:
    global _catalogue, _discovering, _loading
    catalogue = _catalogue
    if catalogue is not None:
        return catalogue
    _acquire()
    try:
        catalogue = _catalogue
        if catalogue is None:
            _discovering = threading.get_ident()
            try:
                catalogue = _catalogue = _discover()
            finally:
                _discovering, _loading = None, ""
        else:
            return catalogue
    finally:
        _lock.release()
    for error in catalogue.errors:  # once per discovery, outside the lock
        _log.warning("a policy-year plug-in is broken and was skipped: %s", error)
    return catalogue


def reload() -> None:
    """Forget what was discovered, so that newly installed plug-ins are found.

    >>> import qpp_rules as qr
    >>> reload()
    >>> {2018, 2019, 2021} <= set(qr.available_years())
    True
    """
    global _catalogue
    _acquire()
    try:
        _catalogue = None
        _amended.clear()
    finally:
        _lock.release()


def available_years() -> tuple[int, ...]:
    """The performance years some provider offers, sorted.

    >>> import qpp_rules as qr
    >>> {2018, 2019, 2021} <= set(qr.available_years())
    True
    """
    return tuple(sorted(_get_catalogue().providers))


def plugin_errors() -> tuple[PolicyError, ...]:
    """The providers that failed to load, each error naming its distribution.

    >>> from qpp_rules.errors import PolicyError
    >>> all(isinstance(error, PolicyError) for error in plugin_errors())
    True
    """
    return _get_catalogue().errors


def _published(year: int) -> PolicyYear:
    catalogue = _get_catalogue()
    providers = catalogue.providers.get(year)
    if not providers:
        detail = ""
        if catalogue.errors:
            detail = "broken plug-ins: " + "; ".join(str(e) for e in catalogue.errors)
        raise UnknownPolicyYear(year, tuple(sorted(catalogue.providers)), detail)
    if len(providers) > 1:
        raise PolicyConflict(year, tuple(name for name, _ in providers))
    return providers[0][1]


def policy_for(year: int, *, as_of: Any = None) -> PolicyYear:
    """The policy of performance ``year``: as published and amended by every amendment the
    library knows (``as_of=None``), or as it stood at the aware instant ``as_of``.

    >>> import qpp_rules as qr
    >>> qr.policy_for(2019).election.window.closes.isoformat()
    '2020-04-30T20:00:00-04:00'
    >>> then = qr.eastern(2020, 3, 1)
    >>> qr.policy_for(2019, as_of=then).election.window.closes.isoformat()
    '2020-03-31T20:00:00-04:00'
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput("year", f"a performance year is a whole number; got {shown(year)}")
    published = _published(year)
    if as_of is None:
        applied = published.known_amendments
    else:
        moment = instant(as_of, "as_of")
        applied = tuple(
            a for a in published.known_amendments if utc_key(a.announced) <= utc_key(moment)
        )
    key = (year, tuple(a.id for a in applied))
    cached = _amended.get(key)
    if cached is not None:
        return cached
    policy = published
    for amendment in applied:
        from qpp_rules.policy.loading import apply_changes

        policy = apply_changes(policy, amendment.changes)
    policy = attrs.evolve(policy, amendments=applied)
    _acquire()
    try:
        return _amended.setdefault(key, policy)
    finally:
        _lock.release()
