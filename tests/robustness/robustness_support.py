"""Shared values for the robustness suite (issue 7): junk, TINs, one valid value of every
kind, and the check every call must pass (answer, or raise a QppRulesError subclass).

A uniquely named module, imported by the tests of tests/robustness/ (pytest puts the test
directory on sys.path).
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pendulum
from hypothesis import strategies as st

import qpp_rules as qr
from qpp_rules.access import (
    Actor,
    Evidence,
    OrganizationRecord,
    Request,
    RequestRole,
    Role,
)
from qpp_rules.access import decide as access_decide
from qpp_rules.analysis import Population
from qpp_rules.election import (
    Choice,
    ElectionLedger,
    LowVolumeFacts,
    OptInStatus,
    Participant,
)
from qpp_rules.identifiers import npi_check_digit
from qpp_rules.policy.unknown import known
from qpp_rules.registration import (
    Address,
    Contact,
    Organization,
    Register,
)
from qpp_rules.registration import decide as registration_decide

# -- TINs -------------------------------------------------------------------------------------
TIN_TEXT = "000765630"
"""The registration guides' Better Business Health TIN (00-0765630)."""
TIN_FORMATTED = "00-0765630"
OTHER_TIN = "004567891"

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def tin_forms(digits: str) -> tuple[str, ...]:
    """Every layout the TIN type accepts that a person writes: compact, ``NN-NNNNNNN``, the
    Social Security layouts ``NNN-NN-NNNN`` and ``NNN NN NNNN``, and ``NN NNNNNNN``."""
    return (digits, f"{digits[:2]}-{digits[2:]}", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}",
            f"{digits[:3]} {digits[3:5]} {digits[5:]}", f"{digits[:2]} {digits[2:]}")


@functools.lru_cache(maxsize=256)
def _shown_forms(digits: str) -> re.Pattern[str]:
    """Every written form of ``digits`` (all layouts, ASCII and lookalike digits), not part
    of a longer number, as one pattern."""
    forms = [shown for form in tin_forms(digits)
             for shown in (form, form.translate(ARABIC_INDIC), form.translate(FULLWIDTH))]
    return re.compile(rf"(?<!\d)(?:{'|'.join(map(re.escape, forms))})(?!\d)")


def leaked(text: str, digits: str) -> bool:
    """Whether ``text`` shows the TIN ``digits`` unmasked, in any layout of
    :func:`tin_forms`, in ASCII digits or in the lookalike digits a person may type
    (Arabic-Indic, fullwidth), not as part of a longer number."""
    if text.isascii():
        plain = text
    else:  # a TIN written with accents is still a TIN
        plain = "".join(c for c in unicodedata.normalize("NFD", text)
                        if unicodedata.category(c) != "Mn")
    return _shown_forms(digits).search(plain) is not None


class OddZone(_dt.tzinfo):
    """A caller's own tzinfo answering a UTC offset no datetime may have."""

    def __init__(self, offset: Any) -> None:
        self.offset = offset

    def utcoffset(self, _: _dt.datetime | None) -> Any:
        return self.offset

    def dst(self, _: _dt.datetime | None) -> Any:
        return None

    def tzname(self, _: _dt.datetime | None) -> str:
        return "odd"


# -- junk -------------------------------------------------------------------------------------
def deep_list(depth: int = 5_000) -> list[Any]:
    """A list nested deeper than the interpreter's recursion limit (repr, ==, copy fail)."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def deep_dict(depth: int = 5_000) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _self_referencing() -> list[Any]:
    loop: list[Any] = [1]
    loop.append(loop)
    return loop


class _Color(enum.Enum):
    RED = "Practice"  # an enum of the wrong kind, whose value is a right one


UTC = _dt.UTC

JUNK: dict[str, Any] = {
    "none": None,
    "true": True,
    "false": False,
    "zero": 0,
    "minus_one": -1,
    "googol": 10**100,
    "minus_googol": -(10**100),
    "int_beyond_str_limit": 10**5_000,
    "inf": float("inf"),
    "minus_inf": float("-inf"),
    "nan": float("nan"),
    "float": 1.5,
    "complex": complex(1, 1),
    "decimal_nan": Decimal("NaN"),
    "decimal_snan": Decimal("sNaN"),
    "decimal_inf": Decimal("Infinity"),
    "decimal_huge": Decimal("1e999999"),
    "decimal_tiny": Decimal("-1e-999999"),
    "empty": "",
    "blank": " \t\n",
    "nul": "\x00",
    "text": "junk",
    "long_text": "x" * 100_000,
    "tin_text": TIN_TEXT,
    "tin_formatted": TIN_FORMATTED,
    "tin_int": int("123456789"),
    "tin_arabic_indic": TIN_TEXT.translate(ARABIC_INDIC),
    "tin_fullwidth": TIN_FORMATTED.translate(FULLWIDTH),
    "tin_combining": "".join(digit + "\u0301" for digit in TIN_TEXT),
    "tin_ssn": "000-76-5630",
    "tin_ssn_spaced": "000 76 5630",
    "tin_spaced": "00 0765630",
    "superscript_digits": "²³¹",
    "dotless_i": "ı",
    "lone_surrogate": "\ud800",
    "rtl_override": "\u202e000765630",
    "emoji": "🏥",
    "bytes": b"",
    "tin_bytes": TIN_TEXT.encode(),
    "bytearray": bytearray(b"000765630"),
    "naive_datetime": _dt.datetime(2019, 5, 1, 12),
    "naive_pendulum": pendulum.naive(2021, 5, 1, 12),
    "date": _dt.date(2019, 5, 1),
    "time": _dt.time(12, 0),
    "timedelta": _dt.timedelta(days=1),
    "aware_min": _dt.datetime.min.replace(tzinfo=UTC),
    "aware_max": _dt.datetime.max.replace(tzinfo=UTC),
    "aware_30_hours": _dt.datetime(2019, 5, 1, 12, tzinfo=OddZone(_dt.timedelta(hours=30))),
    "pendulum_30_hours": pendulum.DateTime(2019, 5, 1, tzinfo=OddZone(_dt.timedelta(hours=30))),
    "aware_int_offset": _dt.datetime(2019, 5, 1, 12, tzinfo=OddZone(3600)),
    "deep_json_text": "[" * 100_000 + "]" * 100_000,
    "deep_json_object": '{"a": ' * 5_000 + "1" + "}" * 5_000,
    "iso_text": "2019-05-01T12:00:00Z",
    "empty_list": [],
    "empty_dict": {},
    "empty_tuple": (),
    "empty_set": set(),
    "list_of_none": [None],
    "list_of_tins": [TIN_TEXT, TIN_FORMATTED],
    "pair": ("a", "b"),
    "mapping": {"data": None},
    "mapping_of_tin": {"tin": TIN_TEXT},
    "int_keys": {1: 2},
    "deep_list": deep_list(),
    "deep_dict": deep_dict(),
    "self_referencing": _self_referencing(),
    "object": object(),
    "type": int,
    "function": len,
    "ellipsis": ...,
    "generator": iter(()),
    "range": range(3),
    "wrong_enum": _Color.RED,
    "org_type": qr.OrgType.PRACTICE,
    "role": qr.Role.STAFF_USER,
    "program": qr.Program.CAHPS,
    "choice": Choice.NO_DECISION,
    "status": OptInStatus.EXEMPT,
    "tin": qr.TIN(OTHER_TIN),
    "npi": qr.NPI("1234567893"),
    "path": Path("/nonexistent/qpp_rules/nothing.toml"),
    "directory": Path("/"),
}
"""Fixed junk, by name: every call gets each of these in each argument."""

TIN_IN_JUNK: dict[str, str] = {
    name: "123456789" if name == "tin_int" else OTHER_TIN if name == "tin" else TIN_TEXT
    for name in ("tin_text", "tin_formatted", "tin_int", "tin_arabic_indic", "tin_fullwidth",
                 "tin_combining", "tin_ssn", "tin_ssn_spaced", "tin_spaced", "tin_bytes",
                 "bytearray", "rtl_override", "list_of_tins", "mapping_of_tin", "tin")
}
"""The fixed junk that holds a TIN, and its digits: whatever a call raises for it must not
show them (the privacy suite's check of every public call, made on the same calls)."""

_STATEFUL = {"generator"}


def fresh(name: str) -> Any:
    """The junk ``name``, fresh where it is consumed by use (a generator)."""
    if name == "generator":
        return iter(())
    return JUNK[name]


def _json() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=8,
    )


def _lookalike_digits() -> st.SearchStrategy[str]:
    """Digits that are not ASCII digits: Arabic-Indic, fullwidth, Devanagari, with combining
    marks."""
    digits = "٠١٢٣٤٥٦٧٨٩０１２３４５６７８９०१२३४५६७८९"
    marks = "\u0301\u0308\u20dd"
    return st.text(st.sampled_from(digits + marks + "0123456789-"), min_size=1, max_size=12)


def junk() -> st.SearchStrategy[Any]:
    """Hypothesis junk: arbitrary JSON values, wrong types, huge and non-finite numbers,
    unicode (lookalike digits, combining marks), naive datetimes, bytes, nested lists."""
    return st.one_of(
        _json(),
        st.sampled_from(sorted(set(JUNK) - _STATEFUL)).map(fresh),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.sampled_from([10**100, -(10**100), float("inf"), float("nan"), Decimal("NaN")]),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.text(),
        _lookalike_digits(),
        st.binary(max_size=12),
        st.datetimes(),
        st.dates(),
        st.tuples(st.integers(), st.text()),
        st.frozensets(st.integers(), max_size=3),
        st.builds(deep_list, st.integers(min_value=0, max_value=50)),
    )


# -- one valid value of every kind --------------------------------------------------------------
T = TypeVar("T")


def some(value: T | None) -> T:
    """``value``, known not to be None."""
    assert value is not None
    return value


PY2018 = qr.policy_for(2018)
PY2019 = qr.policy_for(2019)
PY2021 = qr.policy_for(2021)
REGISTRATION_OPEN = known(PY2021, "registration.window", "REG-WIN-1").opens.add(days=10)
ELECTION_OPEN = qr.eastern(2020, 2, 3, 12)
ACCESS_AT = qr.eastern(2019, 3, 1, 9)

PRACTICE_SO = Actor(qr.OrgType.PRACTICE, Role.SECURITY_OFFICIAL)
REGISTRY_SO = Actor(qr.OrgType.REGISTRY, Role.SECURITY_OFFICIAL)

ADDRESS = Address("123 Better Health Way", "Baltimore", "MD", "21239")
JANE = Contact("Jane", "Doe", "jdoe@betterhealth.com", "111-222-3344")
JOHN = Contact("John", "Smith", "jsmith@betterhealth.com", "111-222-4455")
ORGANIZATION = Organization(
    qr.OrgType.PRACTICE, qr.SizeBand.MEDIUM, name="Better Business Health", address=ADDRESS,
    tin=TIN_FORMATTED,
)
REGISTER = Register(qr.Program.WEB_INTERFACE, ORGANIZATION, (JANE,), "219043")
_FIRST = registration_decide(
    None, REGISTER, at=REGISTRATION_OPEN, policy=PY2021, actor=PRACTICE_SO
)
assert _FIRST.accepted
REGISTRATION = some(_FIRST.state)
REGISTERED = _FIRST.events[0]


def npi(n: int) -> str:
    """A valid NPI (its check digit right)."""
    first = f"1{n % 10**8:08d}"
    return first + npi_check_digit(first)


NPI_1, NPI_2 = npi(1), npi(2)
PARTICIPANT = Participant(TIN_TEXT)
CLINICIAN = Participant(TIN_TEXT, NPI_1)
LEDGER = ElectionLedger(2019)
FACTS = LowVolumeFacts(Decimal("90300"), 150, 234)

RECORD = OrganizationRecord(
    qr.OrgType.PRACTICE, name="Better Business Health", tins=[TIN_TEXT],
    clinicians=[(NPI_1, "AB1234"), (NPI_2, "CD5678")],
)
EVIDENCE = Evidence(tin=TIN_FORMATTED, npi=NPI_1, ptan="AB1234")
FIRST_SO = RequestRole("ann@example.org", Role.SECURITY_OFFICIAL, RECORD, EVIDENCE)
_GRANTED = access_decide(None, FIRST_SO, at=ACCESS_AT, policy=PY2019)
assert _GRANTED.accepted
_STAFF = access_decide(
    _GRANTED.state, RequestRole("bob@example.org", Role.STAFF_USER, RECORD), at=ACCESS_AT,
    policy=PY2019,
)
assert _STAFF.accepted
ACCESS_STATE = some(_STAFF.state)
PENDING = ACCESS_STATE.pending[0]
REQUEST = Request("carl@example.org", Role.STAFF_USER, ACCESS_AT)

ROWS: list[dict[str, Any]] = [
    {"org_id": "A", "kind": "Practice", "name": "Main Street", "clinicians": 30,
     "apm_model": "", "ssp_aco_participant": "no", "split_tin_mips_clinicians": "",
     "submitted_web_interface_prior_year": "yes", "allowed_charges": "90300",
     "patients": 150, "covered_services": 234},
    {"org_id": "B", "kind": "APM Entity", "name": "Coastal ACO", "clinicians": 120,
     "apm_model": "Medicare Shared Savings Program", "ssp_aco_participant": False,
     "split_tin_mips_clinicians": None, "submitted_web_interface_prior_year": False,
     "allowed_charges": Decimal("10"), "patients": 10, "covered_services": 10},
    {"org_id": "C", "kind": "Virtual Group", "clinicians": 3},
]


def population() -> Population:
    return Population.from_records(copy.deepcopy(ROWS))


def payload(tin: str = TIN_TEXT) -> dict[str, Any]:
    """A QPP Eligibility API v6 NPI response with both scenarios of one organization."""
    scenario = {
        "lowVolumeSwitch": False,
        "lowVolumeStatusReasons": [],
        "isOptedIn": False,
        "isOptInEligible": False,
        "optInDecisionDate": "2020-01-03T00:00:00.000Z",
        "smallGroupPractitioner": False,
        "ruralClinician": True,
        "isEligible": {"individual": True, "group": True},
        "lowVolumeServices": 23,
    }
    return {
        "data": {
            "npi": NPI_1,
            "organizations": [
                {
                    "TIN": tin,
                    "prvdrOrgName": "Better Business Health",
                    "individualScenario": copy.deepcopy(scenario),
                    "groupScenario": copy.deepcopy(scenario),
                }
            ],
        }
    }


POLICY_FILE = Path(qr.__file__).parent / "policy" / "years" / "py2019.toml"
POLICY_TEXT = POLICY_FILE.read_text(encoding="utf-8")


# -- the check --------------------------------------------------------------------------------
FORBIDDEN = (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError,
             ArithmeticError, LookupError, UnicodeError, OSError, NotImplementedError,
             AssertionError)


def reprable(value: Any) -> bool:
    try:
        repr(value)
    except Exception:
        return False
    return True


def texts_of(value: Any) -> Iterator[str]:
    """What a person may read of an answer: its repr and str, and for explained answers
    their explanation and reasons."""
    yield repr(value)
    yield str(value)
    explain = getattr(value, "explain", None)
    if callable(explain):
        yield explain()
    for name in ("refusal", "web_interface", "cahps"):
        inner = getattr(value, name, None)
        if isinstance(inner, qr.Decision):
            yield inner.explain()
    for name in ("events", "notifications", "reasons"):
        for item in getattr(value, name, ()) or ():
            yield repr(item)
            yield str(item)
    summary = getattr(value, "summary", None)
    if callable(summary) and attrs.has(type(value)):
        yield summary()


def error_texts(error: BaseException) -> Iterator[str]:
    """What a person may read of an error: its text, fields and problems, and the same of
    every exception in its chain (``__cause__``, ``__context__``, a group's members), which
    a traceback prints or a debugger shows."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        for name in ("field", "message", "detail", "source"):
            value = getattr(current, name, None)
            if isinstance(value, str):
                yield value
        for field, message in getattr(current, "problems", ()):
            yield f"{field}: {message}"
        for name in ("__cause__", "__context__"):
            chained = getattr(current, name, None)
            if isinstance(chained, BaseException):
                pending.append(chained)
        pending.extend(getattr(current, "exceptions", ()))


class Escaped(AssertionError):
    """An exception that is not a QppRulesError left a public call."""


def check(call: Callable[[Any], Any], junk_value: Any, name: str, tin: str | None = None) -> Any:
    """Call ``call(junk_value)``: it must answer (anything, readable) or raise a
    QppRulesError subclass whose text reads, and never shows the TIN ``tin`` (the digits the
    junk holds, if any) in any layout; returns the answer or the error."""
    try:
        answer = call(junk_value)
    except qr.QppRulesError as error:
        for text in error_texts(error):  # the message itself must read
            if tin is not None:
                assert not leaked(text, tin), f"{name}: TIN unmasked in: {text[:300]!r}"
        return error
    except Exception as error:
        raise Escaped(
            f"{name} with junk {_shown(junk_value)} raised {type(error).__name__}: "
            f"{_shown(error)}"
        ) from error
    if reprable(junk_value):
        try:
            for _ in texts_of(answer):
                pass
        except Exception as error:
            raise Escaped(
                f"{name} with junk {_shown(junk_value)} answered, but reading the answer "
                f"raised {type(error).__name__}: {_shown(error)}"
            ) from error
    return answer


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."
