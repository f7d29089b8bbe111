"""ACC-FIND-1: finding an organization to connect to, over a directory the caller supplies.

How each organization type is found (ACCESS-GUIDE, "How Do I Find My Organization?"):

- a **Practice** or a **Registry**: by legal business name, type-ahead (the names that start
  with what was typed so far), or by its complete 9-digit TIN; a partial TIN finds nothing
  ("No search results will populate until you enter the complete TIN (9 digits)");
- an **APM Entity**: by its model first, then by its legal business name (APM Entity name);
- a **Virtual Group**: by its complete Virtual Group ID only.

Readings taken (design): type-ahead matches, without regard to case or repeated spaces, a name
that starts with the query or has a word that does; a query of digits (and hyphens or spaces)
only is a TIN search, so a partial TIN never falls back to a name search; an empty query finds
nothing; the results keep the directory's order. No I/O: the directory is any iterable of
:class:`~qpp_rules.access.OrganizationRecord`.

>>> import qpp_rules as qr
>>> from qpp_rules.access import OrganizationRecord
>>> directory = [
...     OrganizationRecord(qr.OrgType.PRACTICE, name="Main Street Clinic", tins=["000765630"]),
...     OrganizationRecord(qr.OrgType.PRACTICE, name="Riverside Family Medicine",
...                        tins=["001234567"]),
... ]
>>> [r.name for r in find_organization(directory, qr.OrgType.PRACTICE, "main st")]
['Main Street Clinic']
>>> [r.name for r in find_organization(directory, qr.OrgType.PRACTICE, "00-0765630")]
['Main Street Clinic']
>>> find_organization(directory, qr.OrgType.PRACTICE, "0007656")   # a partial TIN
()
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qpp_rules.access.model import OrganizationRecord
from qpp_rules.errors import InvalidInput
from qpp_rules.identifiers import TIN, Identifier, VirtualGroupId
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.vocabulary import ApmModel, OrgType

__all__ = ["find_organization"]

_TIN_LIKE = re.compile(r"[0-9\s\-]+")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _name_matches(name: str | None, query: str) -> bool:
    if not name:
        return False
    folded = _fold(name)
    if folded.startswith(query):
        return True
    words = folded.split(" ")
    return any(" ".join(words[i:]).startswith(query) for i in range(1, len(words)))


def _records(directory: object) -> tuple[OrganizationRecord, ...]:
    if isinstance(directory, str | bytes) or not isinstance(directory, Iterable):
        raise InvalidInput(
            "directory", f"an iterable of OrganizationRecord; got {type(directory).__name__}"
        )
    records = tuple(directory)
    for index, record in enumerate(records):
        if not isinstance(record, OrganizationRecord):
            raise InvalidInput(
                f"directory[{index}]", f"an OrganizationRecord; got {type(record).__name__}"
            )
    return records


def _by_tin_or_name(
    records: tuple[OrganizationRecord, ...], kind: OrgType, query: str
) -> tuple[OrganizationRecord, ...]:
    if _TIN_LIKE.fullmatch(query):
        if not TIN.is_valid(query):
            return ()  # a partial (or over-long) TIN finds nothing
        tin = TIN(query)
        return tuple(r for r in records if r.kind is kind and tin in r.tins)
    folded = _fold(query)
    return tuple(r for r in records if r.kind is kind and _name_matches(r.name, folded))


def find_organization(
    directory: Iterable[OrganizationRecord],
    kind: object,
    query: object,
    *,
    model: object = None,
) -> tuple[OrganizationRecord, ...]:
    """The organizations of type ``kind`` in ``directory`` that ``query`` finds (ACC-FIND-1).

    ``query`` is text (a name being typed, a TIN, a Virtual Group ID) or the identifier itself
    (a ``TIN``, a ``VirtualGroupId``). ``model`` (an ``ApmModel``) is required for an APM
    Entity, which is found by model, then name, and refused for other kinds. An unknown
    ``kind`` or ``model`` finds nothing (ACC-DENY-1). ``InvalidInput`` names a directory entry
    that is not an ``OrganizationRecord`` or a query that is not text.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import OrganizationRecord
    >>> vg = OrganizationRecord(qr.OrgType.VIRTUAL_GROUP, name="Lakes Virtual Group",
    ...                         virtual_group_id="VG-2019-0042")
    >>> find_organization([vg], qr.OrgType.VIRTUAL_GROUP, "Lakes")   # by ID only
    ()
    >>> find_organization([vg], qr.OrgType.VIRTUAL_GROUP, "vg-2019-0042")[0].name
    'Lakes Virtual Group'
    >>> aco = OrganizationRecord(qr.OrgType.APM_ENTITY, name="Coastal ACO",
    ...                          apm_model=qr.ApmModel.SHARED_SAVINGS_PROGRAM)
    >>> len(find_organization([aco], qr.OrgType.APM_ENTITY, "coastal",
    ...                       model=qr.ApmModel.SHARED_SAVINGS_PROGRAM))
    1
    >>> find_organization([aco], qr.OrgType.APM_ENTITY, "coastal", model=qr.ApmModel.CPC_PLUS)
    ()
    """
    records = _records(directory)
    if isinstance(query, Identifier):
        query = query.value
    if not isinstance(query, str):
        raise InvalidInput("query", f"text or an identifier; got {type(query).__name__}")
    if not isinstance(kind, OrgType):
        return ()
    if kind is OrgType.APM_ENTITY:
        if model is None:
            raise InvalidInput(
                "model", "an APM Entity is found by its model first, then its name (ACC-FIND-1)"
            )
        if not isinstance(model, ApmModel):
            return ()
    elif model is not None:
        raise InvalidInput("model",
                           f"only an APM Entity is found by model; got {a_or_an(kind.value)}")
    if not query.strip():
        return ()
    if kind in (OrgType.PRACTICE, OrgType.REGISTRY):
        return _by_tin_or_name(records, kind, query)
    if kind is OrgType.VIRTUAL_GROUP:
        if not VirtualGroupId.is_valid(query):
            return ()
        wanted = VirtualGroupId(query)
        return tuple(
            r for r in records if r.kind is kind and r.virtual_group_id == wanted
        )
    folded = _fold(query)
    return tuple(
        r
        for r in records
        if r.kind is kind and r.apm_model is model and _name_matches(r.name, folded)
    )
