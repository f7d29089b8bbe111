"""A Griffe extension for the API pages: the library's docstrings are plain prose with
doctest examples and a few Sphinx roles; show the examples as Python console code and the
roles as code, so that Markdown neither mangles ``>>>`` lines nor reads ``['ann']`` as a link.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|data|mod|attr|exc|obj|const):`(~?)([^`]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _role(found: re.Match[str]) -> str:
    target = found.group(2)
    shown = target.rpartition(".")[2] if found.group(1) else target
    return f"`{shown}`"


def fence_doctests(text: str) -> str:
    """``text`` with each run of doctest lines (``>>>`` and what follows up to a blank
    line) fenced as ``pycon`` code, and Sphinx roles written as code.

    >>> print(fence_doctests("Use :func:`~a.b`.\\n\\n>>> 1 + 1\\n2\\n\\nDone."))
    Use `b`.
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    <BLANKLINE>
    Done.
    """
    out: list[str] = []
    in_fence = False
    in_example = False
    indent = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not in_example and _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
            continue
        if in_fence:
            out.append(line)
            continue
        if in_example:
            if not stripped:
                out.append(f"{indent}```")
                in_example = False
            else:
                out.append(line)
                continue
        if stripped.startswith(">>>") and not in_example:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            out.append(line)
            in_example = True
            continue
        out.append(_ROLE.sub(_role, line))
    if in_example:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence every docstring's doctest examples once the package is loaded."""

    def on_object(self, *, obj: griffe.Object, **_: Any) -> None:
        docstring = obj.docstring
        if docstring is not None and "```pycon" not in docstring.value:
            docstring.value = fence_doctests(docstring.value)
