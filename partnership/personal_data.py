"""The partnership app's part of a person's data export (see ``clinics.personal_data``)."""

from clinics.personal_data import history_rows, rows

from .models import GateDecision, GateOutcome, Instalment, InterimTarget, Phase, PhaseBudget


def partnership_personal_data(user) -> dict:
    return {
        "gate_decisions_taken": rows(
            GateDecision.objects.filter(decided_by=user).order_by("decided_at"),
            "id",
            "phase__name",
            "note",
            "decided_at",
        ),
        "interim_targets_assessed": rows(
            InterimTarget.objects.filter(assessed_by=user).order_by("assessed_at"),
            "id",
            "description",
            "status",
            "assessed_at",
        ),
        "instalments_approved": rows(
            Instalment.objects.filter(approved_by=user).order_by("approved_at"),
            "id",
            "amount",
            "approved_at",
        ),
        "partnership_changes_i_made": history_rows(
            user, Phase, PhaseBudget, InterimTarget, GateDecision, GateOutcome, Instalment
        ),
    }
