"""Messages say "a" or "an" by the sound of the noun they name (kernel.fields.a_or_an): an
APM Entity, an int, an OrgType, an NPI, but a Practice, a TIN, a MIPS clinician."""

from __future__ import annotations

import re
from typing import Any

import attrs
import pytest

import qpp_rules as qr
from qpp_rules import serialization
from qpp_rules.access import Actor, Permission, Role, authorize
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an

# "a" before a vowel letter, except the nouns said with a consonant sound
WRONG_A = re.compile(r"\b[Aa] (?!(?:uni|use|usu|one|eu|TIN|PTAN|MIPS|CAHPS))[AEIOUaeiou]")
# "an" before a consonant letter, except acronyms said with a vowel sound (NPI, SSN, ...)
WRONG_AN = re.compile(r"\b[Aa]n (?![AEIOUaeiou]|[FHLMNRSX][A-Z])")


@pytest.mark.parametrize(
    ("noun", "phrase"),
    [
        ("Practice", "a Practice"),
        ("APM Entity", "an APM Entity"),
        ("APM Entity ID", "an APM Entity ID"),
        ("Registry", "a Registry"),
        ("int", "an int"),
        ("object", "an object"),
        ("OrgType", "an OrgType"),
        ("ElectionLedger", "an ElectionLedger"),
        ("TIN", "a TIN"),
        ("NPI", "an NPI"),
        ("SSN", "an SSN"),
        ("MIPS clinician", "a MIPS clinician"),
        ("user", "a user"),
        ("unique id", "a unique id"),
        ("hour", "an hour"),
        ("identifier", "an identifier"),
    ],
)
def test_a_or_an_follows_the_sound_of_the_noun(noun: str, phrase: str) -> None:
    assert a_or_an(noun) == phrase


def _message(action: Any) -> str:
    with pytest.raises(qr.InvalidInput) as caught:
        action()
    return str(caught.value)


@attrs.frozen
class _Holder:
    kind: qr.OrgType = attrs.field(validator=fields.instance_of(qr.OrgType))
    counts: tuple[int, ...] = attrs.field(
        default=(), converter=fields.tuple_of(int))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (lambda: _Holder("Practice"), "an OrgType"),  # type: ignore[arg-type]
        (lambda: _Holder(qr.OrgType.PRACTICE, ["1"]), "an int"),
        (lambda: qr.ApmEntityId(""), "an APM Entity ID"),
        (lambda: serialization.to_json(object()), "an object"),
        (lambda: qr.NPI("12"), "an NPI"),
        (lambda: qr.TIN("12"), "a TIN"),
    ],
)
def test_error_messages_name_a_type_with_the_right_article(action: Any, expected: str) -> None:
    text = _message(action)
    assert expected in text
    assert not WRONG_A.search(text), text
    assert not WRONG_AN.search(text), text


@pytest.mark.parametrize("kind", list(qr.OrgType))
@pytest.mark.parametrize("role", list(Role))
def test_acc_perm_1_reasons_use_the_right_article_for_every_type_and_role(
        kind: qr.OrgType, role: Role) -> None:
    decision = authorize(Actor(kind, role), Permission.SUBMIT_DATA, qr.policy_for(2021))
    for reason in decision.reasons:
        assert not WRONG_A.search(reason.message), reason.message
        assert not WRONG_AN.search(reason.message), reason.message
