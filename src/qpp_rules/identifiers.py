"""Validated identifiers: TIN, NPI, PTAN, APM Entity ID, Practice Site ID, Virtual Group ID,
Vendor ID.

Each follows python-stdnum's habit: a ``compact`` form (``.value``), a ``validate`` that
raises an :class:`~qpp_rules.errors.InvalidIdentifier` subclass, an ``is_valid`` that never
raises, and a ``format``-ted form. Identifiers are immutable, hashable and ordered.

A TIN can be a Social Security number, so a TIN is masked (last four digits) in ``repr``,
``str``, and every error message; the full value leaves only through ``.value`` or
``.formatted``.

>>> from qpp_rules import TIN, NPI
>>> tin = TIN("00-0765630")
>>> tin.value, str(tin), repr(tin)
('000765630', '*****5630', "TIN('*****5630')")
>>> NPI.is_valid("1234567893"), NPI.is_valid("1234567890")
(True, False)
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

from qpp_rules.errors import (
    InvalidChecksum,
    InvalidFormat,
    InvalidIdentifier,
    InvalidInput,
    InvalidLength,
    mask,
)
from qpp_rules.kernel.fields import a_or_an

__all__ = [
    "NPI",
    "PTAN",
    "TIN",
    "ApmEntityId",
    "Identifier",
    "PracticeSiteId",
    "VendorId",
    "VirtualGroupId",
    "npi_check_digit",
]

_SEPARATORS = re.compile(r"[\s\-]")
_DIGITS = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_ALNUM_HYPHEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_MAX_DIGITS = 20
_NINE = re.compile(r"[0-9]{9}")


class Identifier:
    """The base of every identifier: an immutable, hashable wrapper of the compact form.

    Subclasses name their ``label`` (the usual short name, used in messages) and ``field``
    (the attribute name used as the error's field) in the class line, ``class
    TIN(Identifier, label="TIN", field="tin")``, and override :meth:`compact` and
    :meth:`_check`.

    >>> npi = NPI("1234567893")
    >>> isinstance(npi, Identifier), npi.value, npi == NPI("1234567893")
    (True, '1234567893', True)
    >>> npi.value = "1234567890"
    Traceback (most recent call last):
      ...
    AttributeError: NPI is immutable
    """

    __slots__ = ("value",)
    value: str

    label: ClassVar[str] = "identifier"
    field: ClassVar[str] = "identifier"
    secret: ClassVar[bool] = False

    def __init_subclass__(cls, *, label: str | None = None, field: str | None = None,
                          **kwargs: Any) -> None:
        """A kind of identifier names itself in its class line:
        ``class PTAN(_Alphanumeric, label="PTAN", field="ptan")``."""
        super().__init_subclass__(**kwargs)
        if label is not None:
            cls.label = label
        if field is not None:
            cls.field = field

    def __init__(self, text: object) -> None:
        object.__setattr__(self, "value", self.validate(text))

    # -- the stdnum-style surface -------------------------------------------------------
    @classmethod
    def compact(cls, text: str) -> str:
        """The identifier without separators (spaces, hyphens)."""
        if not isinstance(text, str):
            raise InvalidFormat(cls.field,
                                f"{a_or_an(cls.label)} is text; got {type(text).__name__}")
        return _SEPARATORS.sub("", text)

    @classmethod
    def validate(cls, text: object) -> str:
        """Return the compact form, or raise an ``InvalidIdentifier`` subclass."""
        if not isinstance(text, str):
            if isinstance(text, int) and not isinstance(text, bool) and cls is not PTAN:
                text = cls._from_int(text)
            else:
                raise InvalidFormat(
                    cls.field, f"{a_or_an(cls.label)} is text; got {type(text).__name__}"
                )
        compact = cls.compact(text.strip())
        cls._check(compact)
        return compact

    @classmethod
    def _from_int(cls, number: int) -> str:
        """The digits of a whole number given for an identifier (never negative; a number too
        long for any identifier is refused before it is turned into text)."""
        if number < 0:
            raise InvalidFormat(cls.field, f"{a_or_an(cls.label)} is never negative")
        if number >= 10**_MAX_DIGITS:
            raise InvalidLength(
                cls.field, f"{a_or_an(cls.label)} has at most {_MAX_DIGITS} characters"
            )
        return str(number)

    @classmethod
    def is_valid(cls, text: object) -> bool:
        """True when ``text`` is a valid identifier of this kind; never raises."""
        try:
            cls.validate(text)
        except InvalidIdentifier:
            return False
        except Exception:  # pragma: no cover - is_valid never raises, whatever the input
            return False
        return True

    @classmethod
    def _check(cls, compact: str) -> None:
        raise InvalidIdentifier(
            cls.field, "Identifier is the base of the identifier types: use TIN, NPI, PTAN, ..."
        )

    @classmethod
    def _shown(cls, compact: str) -> str:
        """How a (possibly invalid) value appears in an error message: masked for every kind,
        since what was typed into any field may be a TIN (or a Social Security number); a
        long value shows only its last 40 characters (masked)."""
        return mask(compact) if len(compact) <= 40 else "…" + mask(compact[-40:])

    @classmethod
    def _fail(cls, kind: type[InvalidIdentifier], compact: str, message: str) -> InvalidIdentifier:
        return kind(cls.field, f"{message} ({cls._shown(compact)!r})")

    @classmethod
    def _check_digits(cls, compact: str, length: int) -> None:
        """Refuse ``compact`` unless it is exactly ``length`` digits (TIN, NPI, Vendor ID)."""
        if not _DIGITS.fullmatch(compact):
            raise cls._fail(InvalidFormat, compact, f"{a_or_an(cls.label)} has digits only")
        if len(compact) != length:
            raise cls._fail(
                InvalidLength,
                compact,
                f"{a_or_an(cls.label)} has exactly {length} digits; got {len(compact)}",
            )

    @property
    def formatted(self) -> str:
        """The usual printed form."""
        return self.value

    @property
    def masked(self) -> str:
        """The form safe for logs and messages."""
        return mask(self.value) if self.secret else self.value

    # -- value semantics ----------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.value == other.value
        return NotImplemented

    def __lt__(self, other: Self) -> bool:
        if type(other) is type(self):
            return self.value < other.value
        return NotImplemented

    def __le__(self, other: Self) -> bool:
        if type(other) is type(self):
            return self.value <= other.value
        return NotImplemented

    def __gt__(self, other: Self) -> bool:
        if type(other) is type(self):
            return self.value > other.value
        return NotImplemented

    def __ge__(self, other: Self) -> bool:
        if type(other) is type(self):
            return self.value >= other.value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.value))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.value,))


class TIN(Identifier, label="TIN", field="tin"):
    """A Taxpayer Identification Number: exactly 9 digits, written ``00-0765630`` or
    ``000765630`` (no prefix check: CMS's own examples start with ``00``). Masked everywhere
    but ``.value`` and ``.formatted``.

    >>> TIN("00-0765630").formatted
    '00-0765630'
    >>> TIN.is_valid("0007656301")
    False
    """

    __slots__ = ()
    secret = True

    @classmethod
    def _check(cls, compact: str) -> None:
        cls._check_digits(compact, 9)

    @property
    def formatted(self) -> str:
        return f"{self.value[:2]}-{self.value[2:]}"


def npi_check_digit(first_nine: str) -> str:
    """The NPI check digit: Luhn over ``80840`` + the first nine digits.

    >>> npi_check_digit("123456789")
    '3'
    """
    if not isinstance(first_nine, str) or not _NINE.fullmatch(first_nine):
        raise InvalidFormat("npi", "the first nine digits of an NPI (0-9)")
    return _luhn(first_nine)


def _luhn(first_nine: str) -> str:
    """The check digit of nine ASCII digits (already checked)."""
    total = 0
    for position, char in enumerate(reversed("80840" + first_nine)):
        digit = ord(char) - 48
        if position % 2 == 0:  # the rightmost payload digit is doubled (the check digit follows)
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


class NPI(Identifier, label="NPI", field="npi"):
    """A National Provider Identifier: 10 digits, the last a Luhn check digit computed over
    ``80840`` + the first nine. ``check_digit=False`` accepts a well-formed NPI whose check
    digit fails (CMS's own sample payloads carry such NPIs); access validation is strict.

    >>> NPI("1234567893").value
    '1234567893'
    >>> NPI("1234567890", check_digit=False).value
    '1234567890'
    """

    __slots__ = ("_luhn_ok",)
    _luhn_ok: bool

    def __init__(self, text: object, check_digit: bool = True) -> None:
        value = self.validate(text, check_digit=check_digit)
        object.__setattr__(self, "value", value)
        ok = check_digit or _luhn(value[:9]) == value[9]
        object.__setattr__(self, "_luhn_ok", ok)

    @classmethod
    def validate(cls, text: object, check_digit: bool = True) -> str:
        """Return the compact form, or raise an ``InvalidIdentifier`` subclass; with
        ``check_digit=False`` only the shape (10 digits) is checked."""
        if not isinstance(check_digit, bool):
            raise InvalidInput(
                "check_digit", f"True or False; got {type(check_digit).__name__}"
            )
        compact = super().validate(text) if check_digit else cls._validate_shape(text)
        return compact

    @classmethod
    def _validate_shape(cls, text: object) -> str:
        if isinstance(text, int) and not isinstance(text, bool):
            text = cls._from_int(text)
        if not isinstance(text, str):
            raise InvalidFormat(cls.field, f"an NPI is text; got {type(text).__name__}")
        compact = cls.compact(text.strip())
        cls._check_shape(compact)
        return compact

    @classmethod
    def is_valid(cls, text: object, check_digit: bool = True) -> bool:
        """True when ``text`` is a valid NPI (its check digit too, unless
        ``check_digit=False``); never raises."""
        try:
            cls.validate(text, check_digit=check_digit)
        except InvalidInput:
            return False
        except Exception:  # pragma: no cover
            return False
        return True

    @classmethod
    def _check_shape(cls, compact: str) -> None:
        cls._check_digits(compact, 10)

    @classmethod
    def _check(cls, compact: str) -> None:
        cls._check_shape(compact)
        if _luhn(compact[:9]) != compact[9]:
            raise cls._fail(InvalidChecksum, compact, "the NPI check digit does not match")

    @property
    def has_valid_check_digit(self) -> bool:
        """Whether the check digit matches (False only for one read with check_digit=False)."""
        return bool(self._luhn_ok)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.value, False))


class _Alphanumeric(Identifier):
    """Letters and digits, as issued (no public format): 1 to ``max_length`` characters."""

    __slots__ = ()
    max_length: ClassVar[int] = 20
    pattern: ClassVar[re.Pattern[str]] = _ALNUM
    allowed: ClassVar[str] = "letters and digits"

    @classmethod
    def compact(cls, text: str) -> str:
        """Upper-cased, without surrounding spaces. Only ASCII is upper-cased: ``"ı".upper()``
        is ``"I"``, and a non-ASCII character must fail, not turn into a letter."""
        if not isinstance(text, str):
            raise InvalidFormat(cls.field,
                                f"{a_or_an(cls.label)} is text; got {type(text).__name__}")
        text = text.strip()
        return text.upper() if text.isascii() else text

    @classmethod
    def _check(cls, compact: str) -> None:
        if not compact:
            raise cls._fail(InvalidLength, compact, f"{a_or_an(cls.label)} is empty")
        if len(compact) > cls.max_length:
            raise cls._fail(
                InvalidLength,
                compact,
                f"{a_or_an(cls.label)} has at most {cls.max_length} characters; got {len(compact)}",
            )
        if not cls.pattern.fullmatch(compact):
            raise cls._fail(InvalidFormat, compact, f"{a_or_an(cls.label)} has {cls.allowed} only")


class PTAN(_Alphanumeric, label="PTAN", field="ptan"):
    """A Provider Transaction Access Number, issued at Medicare enrollment: letters and digits,
    its format varying by contractor (so kept as issued, upper-cased, at most 20 characters).

    >>> PTAN(" ab1234 ").value
    'AB1234'
    """

    __slots__ = ()


class ApmEntityId(_Alphanumeric, label="APM Entity ID", field="apm_entity_id"):
    """An APM Entity ID, e.g. an ACO ID ``A1234``: letters and digits.

    >>> ApmEntityId("a1234").value
    'A1234'
    >>> ApmEntityId.is_valid("A-1234")
    False
    """

    __slots__ = ()


class PracticeSiteId(_Alphanumeric, label="Practice Site ID", field="practice_site_id"):
    """A CPC+ Practice Site ID, e.g. ``T1AR0058``: letters and digits.

    >>> PracticeSiteId.is_valid("T1AR0058"), PracticeSiteId.is_valid("T1AR 0058!")
    (True, False)
    """

    __slots__ = ()


class VirtualGroupId(_Alphanumeric, label="Virtual Group ID", field="virtual_group_id"):
    """A Virtual Group ID: letters, digits and single inner hyphens (no public format).

    >>> VirtualGroupId("vg-2019-0042").value
    'VG-2019-0042'
    """

    __slots__ = ()
    pattern = _ALNUM_HYPHEN
    allowed = "letters, digits and hyphens"


class VendorId(Identifier, label="Vendor ID", field="vendor_id"):
    """A registry's Vendor ID, issued when its self-nomination was approved: 7 digits
    (CMS qpp-measures-data schema, ``allowedVendors``).

    >>> VendorId("1234567").value
    '1234567'
    """

    __slots__ = ()

    @classmethod
    def _check(cls, compact: str) -> None:
        cls._check_digits(compact, 7)
