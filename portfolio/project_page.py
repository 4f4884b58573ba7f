"""What the apps above the portfolio add to a project's page.

The project page is the portfolio's, but the partnership around a project (agreements,
milestones) belongs to the partners app, which sits above this one. So that app registers a
function in its ``AppConfig.ready()`` that returns the context it adds for one reader and
project; the page merges what every registered part returns. Each part applies its own
access rules: it returns only what the reader may see.
"""

from collections.abc import Callable

_parts: dict[str, Callable] = {}


def register_project_page_part(*, name: str, context: Callable) -> None:
    """``context(user, project) -> dict`` of template variables; registering twice replaces."""
    _parts[name] = context


def project_page_extras(user, project) -> dict:
    extras = {}
    for context in _parts.values():
        extras.update(context(user, project))
    return extras
