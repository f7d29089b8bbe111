"""The five guides' text as a quote is compared with it (shared by the tests that check quotes:
the policy tables' citations and the rule catalogue's sources)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def normal(text: str) -> str:
    """Guide text as a quote may be compared with it: no markup, no line-break hyphens, straight
    quotes, single spaces. A tag is an HTML tag: a bare ``<`` (a screen's "< MANAGE ACCESS")
    swallows nothing.

    >>> normal("a **“split\\nTIN”** [QPP](#) CMS-\\n Approved <b>not</b>")
    'a "split TIN" QPP CMS-Approved not'
    >>> normal("'< BACK' then a note, then <b>bold</b>")
    "'< BACK' then a note, then bold"
    """
    text = re.sub(r"</?[A-Za-z][^<>]*>", " ", text)
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    text = text.replace("**", "").replace("\\", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(curly, straight)
    return " ".join(text.split())


GUIDES = {path.stem: normal(path.read_text(encoding="utf-8"))
          for path in (ROOT / "sources").glob("*.txt")}
