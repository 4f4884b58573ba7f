"""The change history of agreements and milestones, as people read it (see ``core.history``)."""

from django.utils.translation import gettext_lazy as _

from core.history import HistoryEntry, history_entries
from partners.models import Agreement, AgreementDocument, AgreementParty, Milestone


def milestone_history_entries(milestone) -> list[HistoryEntry]:
    return history_entries((Milestone.history.filter(id=milestone.pk), str(_("Milestone"))))


def agreement_history(agreement) -> list[HistoryEntry]:
    return history_entries(
        (Agreement.history.filter(id=agreement.pk), str(_("Agreement"))),
        (AgreementParty.history.filter(agreement_id=agreement.pk), str(_("Party"))),
        (AgreementDocument.history.filter(agreement_id=agreement.pk), str(_("Document"))),
    )
