"""Who reads which phase, target, gate decision, budget and instalment: the one read rule.

Built on the agreement's rule (``Agreement.objects.visible_to``): whoever reads an agreement
reads its phases. Money and per-partner decisions narrow further for partner users: a partner
reads its own budget ceilings, instalments and outcomes, the targets that are its own or joint,
and the gate decisions about it, never another partner's (DOMAIN.md, "Who sees what").
"""

from django.db import models


def _agreements_visible_to(user):
    from partners.models import Agreement

    return Agreement.objects.visible_to(user)


def own_organisation_id(user) -> int | None:
    """The partner user's organisation; None for every other role (who see all parties)."""
    from clinics.access import access_for

    access = access_for(user)
    return access.partner_organisation_id if access.is_partner else None


class PhaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(agreement__in=_agreements_visible_to(user))


class _PartOfPhaseQuerySet(models.QuerySet):
    """Rows of a phase; a partner user reads only those of its own organisation."""

    phase_path = "phase"

    def _own_only(self, organisation_id):
        return self.filter(organisation=organisation_id)

    def visible_to(self, user):
        from .models import Phase

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        rows = self.filter(**{f"{self.phase_path}__in": Phase.objects.visible_to(user)})
        if user.is_partner:
            organisation_id = own_organisation_id(user)
            if organisation_id is None:
                return self.none()
            return rows._own_only(organisation_id)
        return rows


class PhaseBudgetQuerySet(_PartOfPhaseQuerySet):
    pass


class InstalmentQuerySet(_PartOfPhaseQuerySet):
    def not_cancelled(self):
        return self.exclude(status="cancelled")

    def awaiting_payment(self, today):
        """Instalments the region should act on: marked due, or still planned after their
        planned date (the digest and the dashboard's "needs your action"), of running projects
        (as overdue milestones: a stopped or completed project asks nothing more)."""
        return self.filter(
            models.Q(status="due") | models.Q(status="planned", planned_on__lt=today),
            phase__agreement__project__stage__in=_running_stages(),
        )


class InterimTargetQuerySet(_PartOfPhaseQuerySet):
    def not_met(self):
        """Targets of running projects not (yet) assessed as met: open, or assessed as not
        met."""
        return self.exclude(status="met").filter(
            phase__agreement__project__stage__in=_running_stages()
        )

    def _own_only(self, organisation_id):
        # Joint targets (no organisation) concern every partner.
        return self.filter(
            models.Q(organisation__isnull=True) | models.Q(organisation=organisation_id)
        )


class GateDecisionQuerySet(_PartOfPhaseQuerySet):
    def _own_only(self, organisation_id):
        # A decision is about a partner when it has an outcome for it.
        return self.filter(
            pk__in=self.model.objects.filter(outcomes__organisation=organisation_id).values("pk")
        )

    def in_force(self):
        """Decisions no later decision corrects."""
        return self.filter(corrected_by__isnull=True)


def _running_stages():
    from portfolio.models import Project

    return Project.ACTIVE_STAGES
