"""Who sees which agreement and milestone: the partners app's one place for access."""

from datetime import timedelta

from django.db import models
from django.utils import timezone


def _projects_visible_to(user):
    from portfolio.models import Project

    return Project.objects.visible_to(user)


def partner_organisation_id(user):
    membership = getattr(user, "partner_membership", None) if user.is_authenticated else None
    return membership.organisation_id if membership else None


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Leaders: agreements of projects they lead. Partners: those they are party to, once
        proposed (a draft is still the region's working copy). Staff: none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_leader:
            return self.filter(project__in=_projects_visible_to(user))
        if user.is_partner:
            organisation_id = partner_organisation_id(user)
            if organisation_id is None:
                return self.none()
            return self.filter(
                pk__in=self.model.objects.filter(parties__organisation=organisation_id).values("pk")
            ).exclude(status="draft")
        return self.none()


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Milestones of every project the person may open (partners: their parties' projects)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(project__in=_projects_visible_to(user))

    def open(self):
        return self.exclude(status="done")

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def with_related(self):
        return self.select_related("project", "project__lead_clinic", "responsible_party")


def partner_organisations_visible_to(user):
    """Organisations a person may open: (leaders) those party to an agreement of a project they
    lead, (partners) their own. The organisation model has no manager of its own; this is its
    access rule, built on the project rule so it cannot drift from it."""
    from .models import PartnerOrganisation

    if not user.is_authenticated:
        return PartnerOrganisation.objects.none()
    if user.is_superuser:
        return PartnerOrganisation.objects.all()
    if user.is_leader:
        return PartnerOrganisation.objects.filter(
            pk__in=PartnerOrganisation.objects.filter(
                agreement_parties__agreement__project__in=_projects_visible_to(user)
            ).values("pk")
        )
    if user.is_partner:
        return PartnerOrganisation.objects.filter(pk=partner_organisation_id(user))
    return PartnerOrganisation.objects.none()
