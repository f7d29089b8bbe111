"""The rule catalogue as data (src/qpp_rules/kernel/catalogue.toml): one table per rule,
amendment and erratum of spec/RULES.md, each with the guides' own words that state it.

Every table is compared with spec/RULES.md (its ID, its text, its mark) and every quote with
the guide it names (sources/<guide>.txt), both sides normalised alike (guide_text.normal). A
rule or erratum of the years beyond the guides (*(external: ...)*, RULES.md section 4) cites
a public source instead: its authority, its address (url), and a quote found in the copy of
that source under sources/external/ that names the address.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from guide_text import GUIDES, normal

from qpp_rules._catalogue import parse_rules

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "qpp_rules" / "kernel" / "catalogue.toml"
CATALOGUE: dict[str, Any] = tomllib.loads(DATA.read_text(encoding="utf-8"))
RULES, NOTES = parse_rules((ROOT / "spec" / "RULES.md").read_text(encoding="utf-8"))
IDS = [*(rule.id for rule in RULES), *(note.id for note in NOTES)]
TEXTS = {**{rule.id: rule.text for rule in RULES}, **{note.id: note.text for note in NOTES}}
THE_FIVE_GUIDES = {
    "REG-GUIDE-2018", "REG-GUIDE-2019", "REG-GUIDE-2021", "ELECTION-GUIDE-2019", "ACCESS-GUIDE",
}
EXTERNAL = {path.name: path.read_text(encoding="utf-8")
            for path in (ROOT / "sources" / "external").glob("*.md")}
PUBLIC = {"cms", "federal-register", "omb", "secondary"}  # the authorities beyond the guides
RULE_MARKS = ("inference", "design", "external")  # weakest footing first
MARKS = {"guide", *RULE_MARKS, "erratum", "amendment"}
QUOTED = [
    pytest.param(entry_id, index, source, id=f"{entry_id}.sources[{index}]")
    for entry_id, table in CATALOGUE.items()
    for index, source in enumerate(table["sources"])
]


def expected_mark(entry_id: str, text: str) -> str:
    """The mark spec/RULES.md gives: a note by its kind, a rule by the weakest footing any of
    its parts is marked with (``*(inference...``, ``*(design...``, ``*(external...``)."""
    if re.fullmatch(r"A\d+", entry_id):
        return "amendment"
    if re.fullmatch(r"E\d+", entry_id):
        return "erratum"
    for mark in RULE_MARKS:
        if re.search(rf"\*\({mark}\b", text):
            return mark
    return "guide"


def found_in(guide: str, quote: str) -> bool:
    """Whether ``quote`` is a contiguous passage of ``guide`` (both normalised alike)."""
    return normal(quote) in GUIDES[guide]


def external_copies(url: str) -> list[str]:
    """The files of sources/external/ that name the address ``url``."""
    return [name for name, text in EXTERNAL.items() if f"<{url}>" in text]


def found_externally(url: str, quote: str) -> bool:
    """Whether ``quote`` is a contiguous passage of a sources/external/ copy naming ``url``."""
    return any(normal(quote) in normal(EXTERNAL[name]) for name in external_copies(url))


def is_external(source: dict[str, str]) -> bool:
    return source.get("authority", "guide") != "guide"


def test_the_five_guides_are_the_files_under_sources() -> None:
    assert set(GUIDES) == THE_FIVE_GUIDES


def test_every_rule_amendment_and_erratum_of_rules_md_has_a_table_in_its_order() -> None:
    assert len(RULES) >= 54
    assert [note.id for note in NOTES] == ["A1", *(f"E{number}" for number in range(1, 13))]
    assert list(CATALOGUE) == IDS


def test_every_table_has_exactly_the_title_mark_text_and_sources_keys() -> None:
    for entry_id, table in CATALOGUE.items():
        assert set(table) == {"title", "mark", "text", "sources"}, entry_id
        assert isinstance(table["sources"], list), entry_id
        for source in table["sources"]:
            if is_external(source):  # a public source beyond the guides names who and where
                assert set(source) == {"source", "section", "quote", "authority", "url"}, entry_id
                assert source["authority"] in PUBLIC, entry_id
                assert source["url"].startswith("https://"), entry_id
            else:
                assert set(source) == {"source", "section", "quote"}, entry_id
            assert all(isinstance(value, str) and value.strip() for value in source.values())


def test_every_title_is_one_plain_line() -> None:
    for entry_id, table in CATALOGUE.items():
        title = table["title"]
        assert isinstance(title, str), entry_id
        assert title, entry_id
        assert title.strip() == title, entry_id
        assert "\n" not in title, entry_id
        assert len(title) <= 90, entry_id
        assert not re.search(r"[*`]", title), f"{entry_id}: no Markdown in a title"


def test_every_text_is_the_rules_md_text_as_one_paragraph() -> None:
    for entry_id, table in CATALOGUE.items():
        assert table["text"] == " ".join(TEXTS[entry_id].split()), entry_id


def test_every_mark_is_the_one_rules_md_gives() -> None:
    for entry_id, table in CATALOGUE.items():
        assert table["mark"] in MARKS, entry_id
        assert table["mark"] == expected_mark(entry_id, TEXTS[entry_id]), entry_id


def test_the_mark_is_read_from_the_weakest_footing_rules_md_names() -> None:
    assert expected_mark("REG-X-1", "guide words *(design)* and *(inference: why)*") == (
        "inference"
    )
    assert expected_mark("REG-X-1", "guide words, then *(design: a choice)*") == "design"
    assert expected_mark("REG-X-1", "*(external: CMS notice)* numbers") == "external"
    assert expected_mark("REG-X-1", "the guide's own rule, read as (inference) prose") == "guide"
    assert expected_mark("E10", "*(inference)*") == "erratum"
    assert expected_mark("A1", "*(external: press release)*") == "amendment"


def test_every_source_is_one_of_the_five_guides_or_an_external_rules_public_source() -> None:
    named = {source["source"] for table in CATALOGUE.values() for source in table["sources"]
             if not is_external(source)}
    assert named == THE_FIVE_GUIDES  # each guide is cited, and no other source as a guide
    for entry_id, table in CATALOGUE.items():
        for source in table["sources"]:
            if is_external(source):
                assert source["source"] not in THE_FIVE_GUIDES, entry_id
                assert table["mark"] in {"external", "inference", "erratum"}, entry_id
                assert "(external" in TEXTS[entry_id] or table["mark"] == "erratum", entry_id
                assert external_copies(source["url"]), (
                    f"{entry_id}: no copy of {source['url']} under sources/external/")
    section_4 = {"POL-UNK-1", "REG-END-1", "REG-END-2", "REG-WIN-3", "ELE-ELIG-2", "E11", "E12"}
    assert section_4 <= set(CATALOGUE)
    cited = {entry_id for entry_id, table in CATALOGUE.items()
             if any(is_external(source) for source in table["sources"])}
    assert cited == section_4 - {"POL-UNK-1"}  # a design rule, stated by no source


@pytest.mark.parametrize(("entry_id", "index", "source"), QUOTED)
def test_every_quote_is_a_verbatim_passage_of_its_guide(
    entry_id: str, index: int, source: dict[str, str]
) -> None:
    if is_external(source):
        assert found_externally(source["url"], source["quote"]), (
            f"{entry_id}.sources[{index}]: not in the sources/external/ copy of "
            f"{source['url']}: {source['quote']!r}"
        )
        return
    assert found_in(source["source"], source["quote"]), (
        f"{entry_id}.sources[{index}]: not in sources/{source['source']}.txt: {source['quote']!r}"
    )


def test_an_external_quote_with_one_word_changed_is_not_found() -> None:
    url = ("https://github.com/CMSgov/qpp-submissions-docs/blob/"
           "485527ca96457da5f5b477d5ef2878146a0493fd/src/app/components/topics/change-log.tsx")
    assert found_externally(url, "CMS Web Interface has been sunset across QPP.")
    assert not found_externally(url, "CMS Web Interface has been extended across QPP.")
    assert not found_externally("https://example.org/nowhere", "CMS Web Interface has been")


def test_a_quote_with_one_word_changed_or_two_passages_spliced_is_not_found() -> None:
    exact = "Registration opens on Monday, April 4, 2019 at 10:00am Eastern Time (ET)"
    assert found_in("REG-GUIDE-2019", exact)
    assert found_in("REG-GUIDE-2019", exact.replace("Monday", "Thursday")) is False
    assert found_in("REG-GUIDE-2018", exact) is False  # the right words, the wrong guide
    spliced = "Registration opens on Monday, April 4, 2019 and closes on Monday, July 1, 2019"
    assert found_in("REG-GUIDE-2019", spliced) is False


def test_a_quote_matches_across_line_breaks_curly_quotes_and_markup() -> None:
    # the 2018 guide breaks "CMS-Approved" over two lines; the 2021 guide bolds and escapes
    assert found_in("REG-GUIDE-2018", "must contract with a CMS-Approved Survey Vendor")
    assert found_in("REG-GUIDE-2018", 'allow "split TINs," where some')  # “split TINs,”
    assert found_in("REG-GUIDE-2021", "(IA_PSPA_11) and must select a different activity")


def test_a_rule_cites_each_guide_at_most_once() -> None:
    for entry_id, table in CATALOGUE.items():
        if table["mark"] in {"erratum", "amendment"}:
            continue  # an erratum quotes each of the passages that disagree
        guides = [source["source"] for source in table["sources"]]
        assert len(guides) == len(set(guides)), entry_id


def test_only_a_design_rule_has_no_guide_sentence() -> None:
    for entry_id, table in CATALOGUE.items():
        if not table["sources"]:
            assert table["mark"] == "design", f"{entry_id}: a guide must say it"


def test_an_erratum_quotes_the_passages_that_disagree() -> None:
    for entry_id, table in CATALOGUE.items():
        if table["mark"] == "erratum":
            assert table["sources"], entry_id
            guides = {source["source"] for source in table["sources"] if not is_external(source)}
            assert guides <= THE_FIVE_GUIDES, entry_id
        if table["mark"] == "amendment":
            assert len(table["sources"]) == 1, f"{entry_id}: the passage it changes"


def test_a_rule_that_cites_guides_by_year_quotes_each_registration_guide() -> None:
    """A registration rule stated in all three registration guides quotes all three."""
    in_all_three = {
        entry_id
        for entry_id, table in CATALOGUE.items()
        if {source["source"] for source in table["sources"]}
        >= {"REG-GUIDE-2018", "REG-GUIDE-2019", "REG-GUIDE-2021"}
    }
    assert len(in_all_three) >= 20
