"""MkDocs hooks: the domain sections list the pages their owners add under docs/<domain>/.

``nav`` in mkdocs.yml names each domain's overview page (``registration.md``); every further
page in ``docs/registration/`` (``who-may-register.md``, ...) joins that section, sorted by
file name (an ``index.md`` or ``README.md`` first), so that a page added there is in the
navigation without editing mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DOMAINS = ("registration", "election", "access")
_INDEXES = {"index.md", "README.md"}


def on_config(config: Any, **_: Any) -> Any:
    """Add ``docs/<domain>/*.md`` to the section whose first entry is ``<domain>.md``."""
    docs = Path(config["docs_dir"])
    for section in config["nav"] or []:
        if not isinstance(section, dict):
            continue
        for entries in section.values():
            if not isinstance(entries, list) or not entries:
                continue
            first = entries[0]
            overview = first if isinstance(first, str) else None
            domain = overview[: -len(".md")] if overview and overview.endswith(".md") else None
            if domain not in DOMAINS:
                continue
            listed = {entry for entry in entries if isinstance(entry, str)}
            pages = sorted(
                (docs / domain).glob("*.md"),
                key=lambda page: (page.name not in _INDEXES, page.name),
            )
            for page in pages:
                relative = f"{domain}/{page.name}"
                if relative not in listed:
                    entries.append(relative)
    return config
