"""Query sets of the portfolio: the one place that decides who sees which idea and project."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def _led_clinics(user):
    from clinics.selectors import clinics_led_by

    return clinics_led_by(user)


class ChallengeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate()))

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_leader:
            # Region-wide challenges of their regions and those of the clinics they lead.
            clinics = _led_clinics(user)
            return self.filter(
                Q(clinic__isnull=True, region__in=clinics.values("region")) | Q(clinic__in=clinics)
            )
        if user.is_clinic_staff and user.clinic_id:
            # Region-wide challenges and those of the person's own clinic.
            return self.filter(region=user.clinic.region_id).filter(
                Q(clinic__isnull=True) | Q(clinic=user.clinic_id)
            )
        if user.is_partner:
            return self.filter(open_to_partners=True)
        return self.none()


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Ideas a person may open: their own, or (leaders) those of the clinics they lead.

        Staff see colleagues' submitted ideas only as title and status through
        ``clinic_overview_for``; this set is for pages that show an idea's content.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_leader:
            return self.filter(clinic__in=_led_clinics(user)).exclude(status="draft")
        if user.is_clinic_staff:
            return self.filter(submitter=user)
        return self.none()

    def awaiting_review(self):
        return self.filter(status__in=("submitted", "in_review"))


class ProjectQuerySet(models.QuerySet):
    def _scoped(self, condition):
        # A subquery rather than .distinct(): the result stays safe to annotate and aggregate.
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))

    def visible_to(self, user):
        """Projects a person may open: of their clinics (and, for staff, the one their idea
        became), or of their party (partners)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_leader:
            clinics = _led_clinics(user)
            return self._scoped(Q(lead_clinic__in=clinics) | Q(other_clinics__in=clinics))
        if user.is_clinic_staff:
            # Their clinic's projects, and the project their own idea became (even if they
            # have moved to another clinic since, or the project is led elsewhere).
            condition = Q(idea__submitter=user)
            if user.clinic_id:
                condition |= Q(lead_clinic=user.clinic_id) | Q(other_clinics=user.clinic_id)
            return self._scoped(condition)
        if user.is_partner:
            membership = getattr(user, "partner_membership", None)
            if membership is None:
                return self.none()
            # Party to an agreement that has been proposed to them: a draft is still the
            # region's working copy, and naming a partner in it shows them nothing yet.
            return self._scoped(
                Q(
                    agreements__parties__organisation=membership.organisation_id,
                    agreements__status__in=("proposed", "signed", "active", "ended"),
                )
            )
        return self.none()
