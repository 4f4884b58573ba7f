"""Who else may be on a project's team, as the apps above the portfolio say.

Partner users may join a project only if their organisation is party to its current agreement:
that rule is the partners app's, which sits above this one. So that app registers, in its
``AppConfig.ready()``, a function that returns the partner users who may be members of a
project; the team's services and the add form ask it. Without a registered part, no partner
user may be added.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_partner_candidates: dict[str, Callable] = {}


def register_team_partner_candidates(*, name: str, candidates: Callable) -> None:
    """``candidates(project) -> QuerySet[User]`` of partner users; registering twice replaces."""
    _partner_candidates[name] = candidates


def team_partner_candidates(project) -> list[QuerySet]:
    return [candidates(project) for candidates in _partner_candidates.values()]
