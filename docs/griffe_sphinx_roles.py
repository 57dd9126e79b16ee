"""A griffe extension for the API pages: Sphinx roles in docstrings as code.

The docstrings cross-reference with Sphinx roles (``:func:`validate```,
``:class:`~vcardkit.Contact```), which read well in ``help()`` and in the
source; Markdown has no such syntax, so mkdocstrings would print the role
names. This turns each into the code span it stands for (``validate``,
``Contact``), leaving the docstrings as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj):`~?([^`]+)`")


def _code(match: re.Match[str]) -> str:
    target = match.group(1)
    # ``~vcardkit.Contact`` shows its last part, as Sphinx does.
    shown = target.rsplit(".", 1)[-1] if match.group(0).count("~") else target
    return f"`{shown}`"


class SphinxRolesAsCode(griffe.Extension):
    """Rewrite ``:role:`target``` in every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = ROLE.sub(_code, obj.docstring.value)
