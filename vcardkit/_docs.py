"""Where vcardkit's documentation is published, and each rule's page in it.

The site is built from ``docs/`` with MkDocs; ``site_url`` in ``mkdocs.yml``
is this base (a test holds the two to each other). Each rule has a page
``docs/rules/<CODE>.md``, published at ``<DOCS_URL>rules/<CODE>/``.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DOCS_URL", "rule_page", "rule_url"]

DOCS_URL: Final = "https://vcardkit.readthedocs.io/en/latest/"


def rule_url(code: str) -> str:
    """The published page of rule ``code`` (``VC404``)."""
    return f"{DOCS_URL}rules/{code.upper()}/"


def rule_page(code: str) -> str:
    """The rule's page in a checkout or an sdist, relative to the project root."""
    return f"docs/rules/{code.upper()}.md"
