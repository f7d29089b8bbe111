"""The records first Security Official validation reads (ACC-SO-1, ACC-FIND-1): what CMS
knows of an organization (:class:`OrganizationRecord`) and the evidence its first Security
Official supplies (:class:`Evidence`). Both are re-exported by ``qpp_rules.access.model`` and
``qpp_rules.access``.

A TIN never appears unmasked in a ``repr``: identifiers mask themselves, and evidence that is
not a valid identifier is shown masked too.

>>> from qpp_rules import OrgType
>>> record = OrganizationRecord(OrgType.PRACTICE, name="Main Street Clinic", tins=["00-0765630"])
>>> record.tins
frozenset({TIN('*****5630')})
>>> evidence = Evidence(tin="00-0765630", npi="12345")
>>> evidence.tin, evidence.npi   # a valid TIN; an NPI that is not one, kept as typed
(TIN('*****5630'), '12345')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from qpp_rules.errors import InvalidInput, mask, masked_repr
from qpp_rules.identifiers import (
    NPI,
    PTAN,
    TIN,
    ApmEntityId,
    Identifier,
    PracticeSiteId,
    VendorId,
    VirtualGroupId,
)
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.vocabulary import ApmModel, OrgType

__all__ = ["Evidence", "OrganizationRecord"]

IdT = TypeVar("IdT", bound=Identifier)


# -- the organization's records -------------------------------------------------------------


def _alone(value: object) -> object:
    """A collection as given; one identifier (or its text) given alone is a collection of
    one, and None is none."""
    if value is None:
        return ()
    if isinstance(value, str | int | Identifier) and not isinstance(value, bool):
        return (value,)
    return value


def _identifier(kind: type[IdT]) -> Any:
    return fields.converted(kind, kind=kind, optional=True)


def _pairs(first: type[Identifier], second: type[Identifier]) -> Any:
    """A converter: pairs of identifiers (``first``, ``second``) to a frozenset, each given as
    the identifier or its text; an identifier read laxly (an NPI without its check digit) is
    kept as it is."""

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> frozenset[Any]:
        path = fields.field_path(instance, attribute)
        pairs = set()
        for i, item in enumerate(_ITEMS.converter(_alone(value), instance, attribute)):
            a, b = _pair(item, f"{path}[{i}]")
            pairs.add((_one(first, a, f"{path}[{i}][0]"), _one(second, b, f"{path}[{i}][1]")))
        return frozenset(pairs)

    return attrs.Converter(conv, takes_self=True, takes_field=True)


_ITEMS = fields.tuple_of(object)


def _pair(value: object, path: str) -> tuple[object, object]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput(path, f"a pair of two identifiers; got {type(value).__name__}")
    pair = tuple(value)
    if len(pair) != 2:
        raise InvalidInput(path, f"a pair of two identifiers; got {len(pair)} items")
    return pair[0], pair[1]


def _one(kind: type[IdT], value: object, path: str) -> IdT:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except InvalidInput as error:
        raise fields.rename(error, path) from None


def _name(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("name", "a legal business name is non-empty text")
    return " ".join(value.split())


def _masked_pairs(value: frozenset[tuple[Any, Any]]) -> str:
    if not value:
        return "frozenset()"
    return "frozenset({" + ", ".join(sorted(f"({a!r}, {b!r})" for a, b in value)) + "})"


_APM_LABELS: dict[ApmModel | None, str] = {
    ApmModel.SHARED_SAVINGS_PROGRAM: "Shared Savings Program ACO",
    ApmModel.NEXT_GENERATION_ACO: "Next Generation ACO",
    ApmModel.CPC_PLUS: "CPC+ Practice Site",
    None: "APM Entity",
}


@masked_repr
@attrs.frozen(cache_hash=True)
class OrganizationRecord:
    """What CMS knows of one organization: the facts a first Security Official's evidence is
    checked against (ACC-SO-1) and a directory is searched over (ACC-FIND-1). The caller
    supplies them; the library never fetches anything.

    - ``kind``: the organization type (ACC-TYPE-1); ``apm_model`` for an APM Entity.
    - ``name``: the legal business name (the APM Entity name for an APM Entity).
    - ``apm_entity_id``: an ACO's APM Entity ID (ACO ID); ``practice_site_id``: a CPC+
      Practice Site ID; ``vendor_id``: a registry's Vendor ID; ``virtual_group_id``.
    - ``tins``: a Practice's or Registry's own TIN (one at most); the TINs of the practices
      participating in an ACO or a virtual group; the TINs of a CPC+ Practice Site.
    - ``clinicians``: a Practice's clinicians as (NPI, PTAN) pairs.
    - ``tin_npis``: a CPC+ Practice Site's (TIN, NPI) pairs.
    - ``single_tin_aco``: the organization is on CMS's list of single-TIN ACOs
      (ACC-TIN-ACO-1); an ACO's APM Entity then validates with one TIN.

    Identifiers may be given as text; they are validated strictly (``InvalidIdentifier``).
    The positional order is API.md's: ``kind, apm_model, apm_entity_id, practice_site_id,
    vendor_id, tins, clinicians, tin_npis, single_tin_aco``, then ``name`` and
    ``virtual_group_id`` (best given by keyword).

    >>> from qpp_rules import OrgType, ApmModel
    >>> aco = OrganizationRecord(OrgType.APM_ENTITY, apm_model=ApmModel.SHARED_SAVINGS_PROGRAM,
    ...                          apm_entity_id="A1234", tins=["000765630", "001234567"])
    >>> aco.apm_entity_id, len(aco.tins)
    (ApmEntityId('A1234'), 2)
    >>> OrganizationRecord(OrgType.APM_ENTITY, ApmModel.SHARED_SAVINGS_PROGRAM, "A1234").label
    'Shared Savings Program ACO'
    """

    __field_prefix__ = "organization"

    # API.md's fields first, in API.md's order (they may be given positionally), then extras
    kind: OrgType = attrs.field(validator=fields.instance_of(OrgType))
    apm_model: ApmModel | None = attrs.field(
        default=None, validator=fields.instance_of(ApmModel, optional=True)
    )
    apm_entity_id: ApmEntityId | None = attrs.field(
        default=None, converter=_identifier(ApmEntityId)  # type: ignore[misc]
    )
    practice_site_id: PracticeSiteId | None = attrs.field(
        default=None, converter=_identifier(PracticeSiteId)  # type: ignore[misc]
    )
    vendor_id: VendorId | None = attrs.field(
        default=None, converter=_identifier(VendorId)  # type: ignore[misc]
    )
    tins: frozenset[TIN] = attrs.field(
        factory=frozenset,
        converter=attrs.converters.pipe(_alone, fields.frozenset_of(TIN, convert=TIN)),  # type: ignore[misc]
    )
    clinicians: frozenset[tuple[NPI, PTAN]] = attrs.field(
        factory=frozenset, converter=_pairs(NPI, PTAN), repr=_masked_pairs  # type: ignore[misc]
    )
    tin_npis: frozenset[tuple[TIN, NPI]] = attrs.field(
        factory=frozenset, converter=_pairs(TIN, NPI), repr=_masked_pairs  # type: ignore[misc]
    )
    single_tin_aco: bool = attrs.field(default=False, validator=fields.flag())
    name: str | None = attrs.field(
        default=None, converter=fields.converted(_name, optional=True)  # type: ignore[misc]
    )
    virtual_group_id: VirtualGroupId | None = attrs.field(
        default=None, converter=_identifier(VirtualGroupId)  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        if self.apm_model is not None and self.kind is not OrgType.APM_ENTITY:
            raise InvalidInput(
                "organization.apm_model",
                "only an APM Entity has an APM model; "
                f"this is {a_or_an(self.kind.value)} (ACC-TYPE-1)",
            )
        if self.kind in (OrgType.PRACTICE, OrgType.REGISTRY) and len(self.tins) > 1:
            raise InvalidInput(
                "organization.tins",
                f"{a_or_an(self.kind.value)} is identified by a single TIN; got {len(self.tins)} "
                "(ACC-TYPE-1)",
            )
        if self.single_tin_aco and not self.may_be_single_tin_aco:
            raise InvalidInput(
                "organization.single_tin_aco",
                "only a Practice or a Shared Savings Program or Next Generation ACO's APM "
                "Entity can be a single-TIN ACO (ACC-TIN-ACO-1)",
            )

    @property
    def may_be_single_tin_aco(self) -> bool:
        """Whether the flag ``single_tin_aco`` makes sense for this kind (and model)."""
        if self.kind is OrgType.PRACTICE:
            return True
        return self.kind is OrgType.APM_ENTITY and self.apm_model is not ApmModel.CPC_PLUS

    @property
    def site_tins(self) -> frozenset[TIN]:
        """Every TIN the record knows: ``tins`` and the TINs of ``tin_npis``."""
        return self.tins | frozenset(tin for tin, _ in self.tin_npis)

    @property
    def label(self) -> str:
        """The organization's type as the access guide names it ("CPC+ Practice Site", ...).

        >>> from qpp_rules import OrgType
        >>> OrganizationRecord(OrgType.REGISTRY).label
        'Registry'
        """
        if self.kind is OrgType.APM_ENTITY:
            return _APM_LABELS[self.apm_model]
        return str(self.kind.value)


# -- the first Security Official's evidence -------------------------------------------------


def _read(kind: type[IdT], value: object, path: str) -> IdT | str | None:
    """Evidence as given: a valid identifier, the raw text when it is not one (validation
    then names it as malformed), or None when missing or blank."""
    if value is None:
        return None
    if isinstance(value, Identifier):
        strict = not (isinstance(value, NPI) and not value.has_valid_check_digit)
        if isinstance(value, kind) and type(value) is kind and strict:
            return value
        value = value.value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(path, f"text, {a_or_an(kind.label)} or None; got {type(value).__name__}")
    if isinstance(value, int) and not -(10**40) < value < 10**40:
        return "(a whole number too long for any identifier)"  # str() would refuse it
    text = str(value)
    if not text.strip():
        return None
    try:
        return kind(text)
    except Exception:  # malformed evidence is a validation failure, never an exception
        return text


def _offered(kind: type[IdT]) -> Any:
    """A converter: one item of evidence, read as :func:`_read` reads it."""

    def conv(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> IdT | str | None:
        return _read(kind, value, fields.field_path(instance, attribute))

    return attrs.Converter(conv, takes_self=True, takes_field=True)


def _offered_tins(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> tuple[Any, ...]:
    """A converter: the TINs offered (one given alone counts as one), blanks left out."""
    path = fields.field_path(instance, attribute)
    items = _ITEMS.converter(_alone(value), instance, attribute)
    offered = (_read(TIN, item, f"{path}[{i}]") for i, item in enumerate(items))
    return tuple(tin for tin in offered if tin is not None)


def _shown(value: object) -> str:
    """Evidence is what a person typed, and any field may hold a TIN typed in the wrong box:
    every value is shown masked."""
    if value is None:
        return "None"
    if isinstance(value, Identifier):
        return f"{type(value).__name__}({mask(value.value)!r})"
    return repr(mask(value))


def _shown_all(value: tuple[object, ...]) -> str:
    inner = ", ".join(_shown(item) for item in value)
    return f"({inner},)" if len(value) == 1 else f"({inner})"


@attrs.frozen(cache_hash=True)
class Evidence:
    """What the first Security Official of an organization supplies for validation (ACC-SO-1).

    Every field is optional and may be given as text: text that is a valid identifier is kept
    as that identifier; text that is not (a bad NPI check digit, a 10-digit "TIN") is kept as
    given so that validation names it as malformed. Building evidence never fails on what a
    person typed; only a wrong Python type (a list for ``tin``) raises ``InvalidInput``.
    Blank text counts as missing. ``tin`` and ``tins`` together are the TINs offered.

    The ``repr`` masks every value (a TIN typed in the wrong box is still a TIN).

    >>> Evidence(tins=("00-0765630", "  ")).tins
    (TIN('*****5630'),)
    >>> Evidence(npi="1234567890").npi   # the check digit fails: kept as text, shown masked
    '1234567890'
    """

    tin: TIN | str | None = attrs.field(
        default=None, converter=_offered(TIN), repr=_shown  # type: ignore[misc]
    )
    npi: NPI | str | None = attrs.field(
        default=None, converter=_offered(NPI), repr=_shown  # type: ignore[misc]
    )
    ptan: PTAN | str | None = attrs.field(
        default=None, converter=_offered(PTAN), repr=_shown  # type: ignore[misc]
    )
    tins: tuple[TIN | str, ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_offered_tins, takes_self=True, takes_field=True),  # type: ignore[misc]
        repr=_shown_all,
    )
    apm_entity_id: ApmEntityId | str | None = attrs.field(
        default=None, converter=_offered(ApmEntityId), repr=_shown  # type: ignore[misc]
    )
    practice_site_id: PracticeSiteId | str | None = attrs.field(
        default=None, converter=_offered(PracticeSiteId), repr=_shown  # type: ignore[misc]
    )
    vendor_id: VendorId | str | None = attrs.field(
        default=None, converter=_offered(VendorId), repr=_shown  # type: ignore[misc]
    )

    @property
    def offered_tins(self) -> tuple[TIN | str, ...]:
        """``tin`` (when given) followed by ``tins``."""
        return ((self.tin,) if self.tin is not None else ()) + self.tins
