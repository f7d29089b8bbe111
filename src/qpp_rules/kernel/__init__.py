"""The kernel: one mechanism per concern, at the bottom, used by every domain.

- :mod:`qpp_rules.kernel.cache`: the one bounded answer cache (:class:`AnswerCache`).

The domains (registration, election, access) and the top layers (analysis, serialization,
the command line) build on these and never write a second cache.

>>> from qpp_rules.kernel import AnswerCache
>>> AnswerCache(limit=2).limit
2
"""

from __future__ import annotations

from qpp_rules.kernel.cache import SHARED, AnswerCache, holds

__all__ = ["SHARED", "AnswerCache", "holds"]
