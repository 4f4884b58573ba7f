"""What the apps above the partners app add to an agreement's page.

The agreement page is the partners app's; the phases of an innovation partnership belong to
the ``partnership`` app above it. As with ``portfolio.project_page``, that app registers a
function in its ``AppConfig.ready()`` returning ``{"template": ..., **context}`` for one reader
and agreement (or None when it has nothing for them); the page includes each section. Each part
applies its own access rules.
"""

from collections.abc import Callable

_parts: dict[str, Callable] = {}


def register_agreement_page_part(*, name: str, context: Callable) -> None:
    """``context(user, agreement) -> dict | None``; registering twice replaces."""
    _parts[name] = context


def agreement_page_sections(user, agreement) -> list[dict]:
    sections = []
    for context in _parts.values():
        section = context(user, agreement)
        if section:
            sections.append(section)
    return sections
