"""Who reads which adoptions, clinic measurements and scale-up decisions: whoever may open the
project (``Project.objects.visible_to``: staff and leaders of its clinics, partner users of
the parties, superusers). What a partner does not read (the measured figures, the decisions'
evidence) the pages and the API leave out (``evidence.access.figures_readable``)."""

from django.db import models


def _visible_projects(user):
    from portfolio.models import Project

    return Project.objects.visible_to(user).values("pk")


class AdoptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__in=_visible_projects(user))

    def counts_by_status(self) -> dict[str, int]:
        rows = self.order_by().values("status").annotate(n=models.Count("pk"))
        return {row["status"]: row["n"] for row in rows}


class ClinicMeasurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or user.is_partner:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(adoption__project__in=_visible_projects(user))


class ScaleDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__in=_visible_projects(user))

    def in_force(self):
        """Decisions no later decision corrects."""
        return self.filter(corrected_by__isnull=True)
