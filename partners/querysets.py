"""Who sees which agreement and milestone: the partners app's one place for access."""

from datetime import timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


def _projects_visible_to(user):
    from portfolio.models import Project

    return Project.objects.visible_to(user)


def partner_project_ids(user):
    from portfolio.querysets import partner_project_ids

    return partner_project_ids(user)


def ids_q(field, ids):
    from portfolio.querysets import ids_q

    return ids_q(field, ids)


def partner_organisation_id(user):
    from clinics.access import access_for

    return access_for(user).partner_organisation_id


def milestone_overdue_q(today=None, prefix: str = "") -> Q:
    """The one definition of an overdue milestone, as a condition on ``Milestone`` (or on the
    relation ``prefix``, e.g. ``"milestones__"``): open, due before ``today``, and its project
    still running. A stopped or completed project's milestones close with it: they are never
    late (they used to count on the dashboard and in every week's digest)."""
    from portfolio.models import Project

    return ~Q(**{f"{prefix}status": "done"}) & Q(
        **{
            f"{prefix}due_on__lt": today or timezone.localdate(),
            f"{prefix}project__stage__in": Project.ACTIVE_STAGES,
        }
    )


def milestone_pending_q(prefix: str = "") -> Q:
    """Open milestones of running projects: those that may still fall due (due-soon lists)."""
    from portfolio.models import Project

    return ~Q(**{f"{prefix}status": "done"}) & Q(
        **{f"{prefix}project__stage__in": Project.ACTIVE_STAGES}
    )


# An agreement that has left draft: what its parties have been shown.
SHOWN_TO_PARTIES = ("proposed", "signed", "active", "ended")
# An agreement every party has signed: its terms bind them (contributions, income shares).
SIGNED_BY_ALL = ("signed", "active", "ended")


class AgreementQuerySet(models.QuerySet):
    def current(self, *, signed: bool = False):
        """The current version of each agreement: the one version per chain of versions whose
        parties are the project's partners now. Every page, figure, export, digest and API
        answer that speaks of "the agreement" or "the partners" of a project reads this.

        Current is the newest version that has left draft (proposed, signed, active or
        ended). A draft is never current: it is the region's working copy, shown to nobody,
        and while a new version is a draft the version before it stays current. Once the new
        version is proposed it is current, so an organisation dropped from it stops being a
        partner (and loses the project, see ``Project.objects.visible_to``). A chain whose
        newest version ended keeps it as current: the partnership's last terms.

        ``signed=True`` narrows this to the terms *in force*: the newest version every party
        has signed. While a new version is only proposed, the signed one before it is still
        in force (it ends when the new one is signed, ``_previous_version_end``), so this is
        what contributions and income are counted under.

        Only the next version is looked at: a version gets a successor only once it is signed
        (``agreement_new_version``) and never returns to draft, so if any later version has
        left draft (or been signed) the next one has too. NOT EXISTS rather than the LEFT JOIN
        of ``next_version__...``: PostgreSQL estimates that anti-join well, the join led it
        into nested loops on the dashboard (3x slower).
        """
        return self.filter(self._current(SIGNED_BY_ALL if signed else SHOWN_TO_PARTIES))

    def current_or_draft(self):
        """Current versions and drafts: the terms the region plans with (a milestone may be
        given to a party of the draft it is negotiating, never to one only of a superseded
        version)."""
        return self.filter(Q(status="draft") | self._current(SHOWN_TO_PARTIES))

    def _current(self, statuses) -> Q:
        newer = self.model.objects.filter(previous_version=OuterRef("pk"), status__in=statuses)
        return Q(status__in=statuses) & ~Exists(newer)

    def visible_to(self, user):
        """Leaders: agreements of projects they lead. Staff: none.

        Partners: the versions their organisation is party to, once proposed (a draft is still
        the region's working copy), of projects they may open. So earlier versions stay
        readable to the parties that were in them as long as their organisation is party to
        the project's current agreement; an organisation dropped from the current version
        loses every version with the project, exactly as it loses the project and its
        milestones (404). A party added in a new version does not read the earlier versions
        it was not party to: those are other parties' terms.
        """
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
                ids_q("project_id", partner_project_ids(user)),
                pk__in=self.model.objects.filter(parties__organisation=organisation_id).values(
                    "pk"
                ),
                status__in=SHOWN_TO_PARTIES,
            )
        return self.none()


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Milestones of every project the person may open (partners: their parties' projects)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_partner:
            # The ids, computed once per request, rather than the agreement subquery again.
            return self.filter(ids_q("project_id", partner_project_ids(user)))
        return self.filter(project__in=_projects_visible_to(user))

    def open(self):
        return self.exclude(status="done")

    def overdue(self, today=None):
        return self.filter(milestone_overdue_q(today))

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(milestone_pending_q()).filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=days)
        )

    def with_related(self):
        return self.select_related("project", "project__lead_clinic", "responsible_party")


def project_parties(project):
    """Organisations party to a project now: to a current version or a draft, not only to a
    superseded one (a milestone is never made the responsibility of a dropped partner)."""
    from .models import Agreement, PartnerOrganisation

    return PartnerOrganisation.objects.filter(
        pk__in=PartnerOrganisation.objects.filter(
            agreement_parties__agreement__in=Agreement.objects.filter(
                project=project
            ).current_or_draft()
        ).values("pk")
    )


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
