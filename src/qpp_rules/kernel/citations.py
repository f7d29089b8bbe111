"""One way to cite: the :class:`Citation` value and the rule catalogue behind every reason.

A citation says where something is written: the source (a guide as ``spec/RULES.md`` cites
it, e.g. ``REG-GUIDE-2019``, or a public source's address), the section, the rule IDs, the
source's own words (``quote``), a note on the reading taken, and the source's authority
(:data:`AUTHORITIES`: ``guide``, ``cms``, ``federal-register``, ``omb``, ``secondary``,
``reform`` or ``unknown``). Policy values carry one
(``policy.cite(path)``), and so does every :class:`~qpp_rules.Reason`.

The rule catalogue (``catalogue.toml`` beside this module, loaded once) holds, per rule ID,
its title, its mark (``guide``, ``inference``, ``design``, ``external``; ``erratum`` and
``amendment`` for the notes), its text, and per source the section and the sentence.
:func:`cite` reads it, so a rule's wording lives in one place.

>>> c = Citation("REG-GUIDE-2019", "IV step 1", ("REG-ELIG-1",))
>>> str(c)
'REG-GUIDE-2019, IV step 1 [REG-ELIG-1]'
>>> Citation.parse(str(c)) == c
True
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

import attrs

from qpp_rules.errors import InvalidInput, PolicyFileError, shown
from qpp_rules.kernel import fields
from qpp_rules.kernel.fields import a_or_an

__all__ = [
    "AUTHORITIES", "MARKS", "PUBLIC_AUTHORITIES", "Citation", "RuleEntry", "catalogue", "cite",
    "rule",
]

#: Who stands behind a source: one of the five CMS guides of ``sources/`` (``guide``), another
#: CMS page, fact sheet or repository (``cms``), the Federal Register or the CFR
#: (``federal-register``), an OMB information collection (``omb``), a non-CMS page used only
#: where no primary source was found (``secondary``), a reform (``reform``), or no source at
#: all: the value is not known for the year (``unknown``, POL-UNK-1).
AUTHORITIES = frozenset({
    "guide", "cms", "federal-register", "omb", "secondary", "reform", "unknown",
})
#: The authorities of public sources outside the guides: each names its address and is quoted.
PUBLIC_AUTHORITIES = frozenset({"cms", "federal-register", "omb", "secondary"})
#: How a catalogue entry is marked (RULES.md).
MARKS = frozenset({"guide", "inference", "design", "external", "erratum", "amendment"})

_RULES_TAIL = re.compile(r"^(?P<head>.*?) \[(?P<rules>[^\[\]]*)\]$", re.DOTALL)


def _rule_ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise InvalidInput(
        "citation.rules", f"rule IDs (text, or a sequence of text); got {shown(value, 60)}"
    )


def _authority(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in AUTHORITIES:
        raise InvalidInput(
            fields.field_path(instance, attribute),
            f"one of {', '.join(sorted(AUTHORITIES))}; got {shown(value)}",
        )


@attrs.frozen(cache_hash=True)
class Citation:
    """Where something is written. ``str()`` is the short form
    ``"SOURCE, SECTION [RULE-IDS]"``; ``quote`` is the source's own words.

    >>> c = Citation("REG-GUIDE-2021", "Registration Information", ("REG-WIN-1",),
    ...              quote="Registration opens April 1, 2021")
    >>> str(c), c.quote
    ('REG-GUIDE-2021, Registration Information [REG-WIN-1]', 'Registration opens April 1, 2021')
    >>> Citation("REG-GUIDE-2021", "I", authority="blog")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: citation.authority: one of cms, federal-register, guide, \
omb, reform, secondary, unknown; got 'blog'

    A public source other than the guides names its address (``url``) and quotes its words:

    >>> Citation("CMS deadlines page", "PY2024", authority="cms")
    Traceback (most recent call last):
      ...
    qpp_rules.errors.InvalidInput: citation.url: a cms source names its address (a URL or \
document)
    """

    source: str = attrs.field(validator=fields.text(min_length=1))
    section: str = attrs.field(default="", validator=fields.text())
    rules: tuple[str, ...] = attrs.field(default=(), converter=_rule_ids)
    quote: str | None = attrs.field(default=None, validator=fields.text(optional=True))
    note: str | None = attrs.field(default=None, validator=fields.text(optional=True))
    authority: str = attrs.field(default="guide", validator=_authority)
    url: str | None = attrs.field(default=None, validator=fields.text(optional=True))

    def __attrs_post_init__(self) -> None:
        if self.authority in PUBLIC_AUTHORITIES:
            if not self.url or not self.url.strip():
                raise InvalidInput(
                    "citation.url", f"{a_or_an(self.authority)} source names its address (a URL or "
                    "document)",
                )
            if not self.quote or not self.quote.strip():
                raise InvalidInput(
                    "citation.quote",
                    f"{a_or_an(self.authority)} source is quoted: its words, verbatim",
                )

    def __str__(self) -> str:
        head = f"{self.source}, {self.section}" if self.section else self.source
        return f"{head} [{', '.join(self.rules)}]" if self.rules else head

    @classmethod
    def parse(cls, text: str) -> Citation:
        """A citation from its short form (``"SOURCE, SECTION [RULE-IDS]"``, or any text,
        which becomes the source); ``str()`` gives the text back.

        >>> Citation.parse("ACCESS-GUIDE, FAQs [ACC-ROLE-3]").rules
        ('ACC-ROLE-3',)
        >>> str(Citation.parse("REG-GUIDE-2019 IV"))
        'REG-GUIDE-2019 IV'
        """
        if not isinstance(text, str) or not text:
            raise InvalidInput("citation", f"non-empty text; got {shown(text)}")
        rules: tuple[str, ...] = ()
        match = _RULES_TAIL.match(text)
        if match is not None and match.group("rules").strip() and match.group("head"):
            rules = tuple(part.strip() for part in match.group("rules").split(","))
            text = match.group("head")
        source, comma, section = text.partition(", ")
        if not comma or not source:
            return cls(text, "", rules)
        return cls(source, section, rules)

    def with_rules(self, *rule_ids: str) -> Citation:
        """The same citation naming ``rule_ids`` (added after its own, once each).

        >>> str(Citation("ACCESS-GUIDE", "FAQs").with_rules("ACC-ROLE-3"))
        'ACCESS-GUIDE, FAQs [ACC-ROLE-3]'
        """
        merged = tuple(dict.fromkeys((*self.rules, *rule_ids)))
        return self if merged == self.rules else attrs.evolve(self, rules=merged)


def as_citation(value: object) -> Citation:
    """A :class:`Citation` as given, or one parsed from its short text."""
    if isinstance(value, Citation):
        return value
    if isinstance(value, str):
        return Citation.parse(value)
    raise InvalidInput("citation", f"a Citation or its text; got {type(value).__name__}")


@attrs.frozen
class RuleEntry:
    """One entry of the rule catalogue: the rule's ID, title, mark, text, and where each
    source says it.

    >>> entry = rule("REG-ELIG-1")
    >>> entry.id, entry.mark in MARKS, bool(entry.title)
    ('REG-ELIG-1', True, True)
    """

    id: str
    title: str
    mark: str
    text: str
    sources: tuple[Citation, ...] = ()

    def citation(self, source: str | None = None) -> Citation:
        """Where ``source`` says this rule (the first source when it does not, or when no
        source is named); a rule no source states cites the catalogue itself."""
        for citation in self.sources:
            if source is None or citation.source == source:
                return citation
        if self.sources:
            return self.sources[0]
        return Citation("spec/RULES.md", self.id, (self.id,), note=self.text[:200] or None)


_LOCK = threading.Lock()
_LOADED: dict[str, RuleEntry] = {}


def _load() -> dict[str, RuleEntry]:
    try:
        raw = tomllib.loads(
            resources.files("qpp_rules.kernel").joinpath("catalogue.toml").read_text("utf-8")
        )
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PolicyFileError(
            "qpp_rules/kernel/catalogue.toml", "", f"does not load: {type(error).__name__}"
        ) from None
    entries: dict[str, RuleEntry] = {}
    for rule_id, body in raw.items():
        try:
            sources = tuple(
                Citation(
                    item["source"], item.get("section", ""), (rule_id,),
                    quote=item.get("quote") or None,
                    authority=item.get("authority", "guide"),
                    url=item.get("url"),
                )
                for item in body.get("sources", ())
            )
            entries[rule_id] = RuleEntry(
                rule_id, body.get("title", rule_id), body.get("mark", "guide"),
                body.get("text", ""), sources,
            )
        except (KeyError, TypeError, AttributeError, InvalidInput) as error:
            raise PolicyFileError(
                "qpp_rules/kernel/catalogue.toml", rule_id,
                f"a malformed entry ({type(error).__name__})",
            ) from None
    return entries


def catalogue() -> Mapping[str, RuleEntry]:
    """Every rule, erratum and amendment of the catalogue by ID (loaded once).

    >>> "ELE-OUT-3" in catalogue()
    True
    """
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                _LOADED.update(_load())
    return _LOADED


def rule(rule_id: str) -> RuleEntry:
    """The catalogue entry of ``rule_id``; ``InvalidInput`` for an ID it does not hold.

    >>> rule("ACC-SO-1").sources[0].source
    'ACCESS-GUIDE'
    """
    found = catalogue().get(rule_id) if isinstance(rule_id, str) else None
    if found is None:
        raise InvalidInput("rule_id", f"a rule ID of the catalogue; got {shown(rule_id)}")
    return found


def cite(rule_id: str, source: str | None = None) -> Citation:
    """Where ``source`` (a guide, as ``spec/RULES.md`` cites it) states ``rule_id``, with the
    guide's own sentence; the rule's first source when ``source`` does not state it.

    >>> c = cite("ELE-OUT-3", "ELECTION-GUIDE-2019")
    >>> c.source, c.rules
    ('ELECTION-GUIDE-2019', ('ELE-OUT-3',))
    """
    return rule(rule_id).citation(source)
