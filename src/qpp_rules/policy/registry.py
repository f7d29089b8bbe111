"""Finding policy years: the entry-point group ``qpp_rules.policy_years``.

Built-in years and third-party years are found the same way. An entry point loads to a
:class:`PolicyYear`, an iterable of them, or a callable returning either. Two providers of
one year is an error (:class:`~qpp_rules.errors.PolicyConflict`), never a silent override;
a broken provider is reported by name and the other years still load.
"""

from __future__ import annotations

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
_BUILTIN_VALUE = "qpp_rules.policy.years:builtin_years"


@attrs.frozen
class _Catalogue:
    providers: dict[int, tuple[tuple[str, PolicyYear], ...]]
    errors: tuple[PolicyError, ...]


_lock = threading.Lock()
_catalogue: _Catalogue | None = None
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
    except Exception as error:  # the plug-in's own failure, e.g. its data file does not load
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


def _discover() -> _Catalogue:
    found: dict[int, list[tuple[str, PolicyYear]]] = {}
    errors: list[PolicyError] = []
    entries = _entry_points()
    sources: list[tuple[str, Any]] = []
    if not any(entry.value == _BUILTIN_VALUE for entry in entries):
        from qpp_rules.policy.years import builtin_years  # not installed: a source checkout

        sources.append(("qpp-rules (built-in years)", builtin_years))
    for entry in entries:
        name = _provider_name(entry)
        try:
            sources.append((name, entry.load()))
        except Exception as error:  # a broken plug-in must not break the others
            errors.append(PolicyFileError(name, "", f"failed to load: {error!r}"))
    for name, loaded in sources:
        try:
            years = _years_of(loaded, name)
        except PolicyError as error:
            errors.append(error)
            continue
        except Exception as error:
            errors.append(PolicyFileError(name, "", f"failed to give its years: {error!r}"))
            continue
        for policy in years:
            found.setdefault(policy.year, []).append((name, policy))
    providers = {year: tuple(items) for year, items in found.items()}
    return _Catalogue(providers, tuple(errors))


def _get_catalogue() -> _Catalogue:
    global _catalogue
    catalogue = _catalogue
    if catalogue is None:
        with _lock:
            if _catalogue is None:
                _catalogue = _discover()
            catalogue = _catalogue
    return catalogue


def reload() -> None:
    """Forget what was discovered, so that newly installed plug-ins are found.

    >>> import qpp_rules as qr
    >>> reload()
    >>> {2018, 2019, 2021} <= set(qr.available_years())
    True
    """
    global _catalogue
    with _lock:
        _catalogue = None
        _amended.clear()


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
    with _lock:
        return _amended.setdefault(key, policy)
