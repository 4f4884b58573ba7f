"""The change history of projects and reviews, as people read it (see ``core.history``)."""

from django.utils.translation import gettext_lazy as _

from core.history import HistoryEntry, history_entries
from portfolio.models import Benefit, Project, ProjectDocument, Review, ValueIndicator


def project_history(project) -> list[HistoryEntry]:
    return history_entries(
        (Project.history.filter(id=project.pk), str(_("Project"))),
        # Indicators are retired, not deleted: their definitions and edits stay readable here.
        (ValueIndicator.history.filter(project_id=project.pk), str(_("Value indicator"))),
        (ProjectDocument.history.filter(project_id=project.pk), str(_("Document"))),
        (Benefit.history.filter(project_id=project.pk), str(_("Benefit"))),
    )


def review_history(idea) -> list[HistoryEntry]:
    return history_entries((Review.history.filter(idea_id=idea.pk), str(_("Review"))))
