"""The partners app's part of a person's data export (see ``clinics.personal_data``)."""

from clinics.personal_data import history_rows, rows
from partners.models import Agreement, AgreementParty, Milestone, MilestoneUpdate, PartnerMembership


def partners_personal_data(user) -> dict:
    return {
        "partner_membership": rows(
            PartnerMembership.objects.filter(user=user), "organisation__name", "created_at"
        ),
        "agreements_created": rows(
            Agreement.objects.filter(created_by=user).order_by("pk"),
            "id",
            "title",
            "version",
            "status",
            "created_at",
        ),
        "milestone_updates": rows(
            MilestoneUpdate.objects.filter(author=user).order_by("created_at"),
            "milestone_id",
            "milestone__title",
            "kind",
            "changes",
            "comment",
            "evidence_name",
            "created_at",
        ),
        "agreement_parties_confirmed": rows(
            AgreementParty.objects.filter(confirmed_by=user),
            "agreement__title",
            "agreement__version",
            "confirmed_at",
        ),
        "changes_i_made": history_rows(user, Agreement, AgreementParty, Milestone),
    }
