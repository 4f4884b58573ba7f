"""The progress roll-up over the API (``partnership.progress``): a project's and a phase's."""

from rest_framework import serializers

from partnership.models import ProgressSetting
from partnership.progress import progress_of


class ProgressSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=ProgressSetting.Mode.choices,
        help_text="How the project rolls up: by milestone weight, by interim target, or by "
        "phase budget (a phase follows its project's mode).",
    )
    value = serializers.FloatField(
        allow_null=True,
        help_text="0–100 over what has progress; null when nothing has (never 0 for missing).",
    )
    missing = serializers.IntegerField(
        help_text="How many milestones, targets or phases (by mode) have no progress."
    )
    total = serializers.IntegerField(help_text="How many there are in all.")


def progress_data(row) -> dict:
    """The ``progress`` of a row annotated by ``projects_with_progress`` or
    ``phases_with_progress``."""
    return progress_of(row).as_dict()
