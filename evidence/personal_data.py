"""The evidence app's part of a person's data export (see ``clinics.personal_data``)."""

from clinics.personal_data import history_rows, rows

from .models import Adoption, ClinicMeasurement, ScaleDecision


def evidence_personal_data(user) -> dict:
    return {
        "clinic_measurements_recorded": rows(
            ClinicMeasurement.objects.filter(recorded_by=user).order_by("measured_on", "pk"),
            "id",
            "indicator__name",
            "adoption__clinic__name",
            "value",
            "measured_on",
            "note",
        ),
        "scale_up_decisions_taken": rows(
            ScaleDecision.objects.filter(decided_by=user).order_by("decided_at"),
            "id",
            "project__title",
            "outcome",
            "note",
            "decided_at",
        ),
        "adoption_changes_i_made": history_rows(user, Adoption, ClinicMeasurement, ScaleDecision),
    }
