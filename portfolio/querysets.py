"""Query sets of the portfolio: the one place that decides who sees which idea and project."""

from datetime import timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

# A running project nobody has reported on for this long is flagged as stale.
STALE_AFTER_DAYS = 30


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


def project_stale_q(now=None) -> Q:
    """The one definition of a stale project, as a condition on ``Project``: still running,
    started more than ``STALE_AFTER_DAYS`` ago, and no status update in that time. A
    correlated ``NOT EXISTS`` on the (project, -created_at) index: cheap per row and in an
    aggregate alike."""
    from .models import Project, StatusUpdate

    cutoff = (now or timezone.now()) - timedelta(days=STALE_AFTER_DAYS)
    recent = StatusUpdate.objects.filter(project=OuterRef("pk"), created_at__gte=cutoff)
    return Q(
        Q(stage__in=Project.ACTIVE_STAGES),
        Q(started_on__lte=timezone.localdate(cutoff)),
        ~Exists(recent),
    )


class ProjectQuerySet(models.QuerySet):
    def stale(self, now=None):
        return self.filter(project_stale_q(now))

    def _of_clinics(self, clinics, *, also: Q | None = None):
        """Projects led by, or joined by, one of ``clinics`` (ids or a Clinic query set).

        The joined clinics are a subquery on the link table, not a join: no duplicate rows,
        so the result stays safe to annotate and aggregate, and PostgreSQL plans it as one
        pass over the projects with two hashed lookups."""
        joined = self.model.other_clinics.through.objects.filter(clinic__in=clinics)
        return self.filter(
            Q(lead_clinic__in=clinics) | Q(pk__in=joined.values("project_id")) | (also or Q())
        )

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
            return self._of_clinics(_led_clinics(user))
        if user.is_clinic_staff:
            # Their clinic's projects, and the project their own idea became (even if they
            # have moved to another clinic since, or the project is led elsewhere).
            own_idea = Q(idea__submitter=user)
            if not user.clinic_id:
                return self.filter(own_idea)
            return self._of_clinics([user.clinic_id], also=own_idea)
        if user.is_partner:
            return self.filter(ids_q("pk", partner_project_ids(user)))
        return self.none()


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments of the threads a person may read: exactly who may read the idea or the
        project (so a partner user never reads an idea's, and a project's only as a party)."""
        from .models import Idea, Project

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(idea__in=Idea.objects.visible_to(user).values("pk"))
            | Q(project__in=Project.objects.visible_to(user).values("pk"))
        )

    def of_thread(self, target):
        """The comments of one idea's or project's thread."""
        from .models import Idea

        if isinstance(target, Idea):
            return self.filter(idea=target)
        return self.filter(project=target)


PARTNER_PROJECTS = "partner_project_ids"


def partner_project_ids(user) -> list[int]:
    """The projects a partner user's organisation is party to: party to the current version of
    an agreement of the project (the partners app's ``Agreement.objects.current``), proposed
    or later, since a draft is still the region's working copy, and not replaced by a newer
    version that has left draft, so an organisation dropped from the new version loses the
    project.

    Computed once per request (``Access.remember``) and then used as a list of ids: every
    partner read (projects, milestones, agreements, the start page's five lists and counts)
    filters by it instead of re-running the agreement subquery in each statement. The query is
    served by the index of the parties' organisation (3 ms for 1,344 projects at
    ``seed_demo --scale 100``; its plan is in the README's benchmarks).
    """
    from django.apps import apps

    from clinics.access import access_for

    membership = getattr(user, "partner_membership", None)
    if membership is None:
        return []
    agreements = apps.get_model("partners", "Agreement").objects.current()
    # No ORDER BY: the agreement's default ordering would join the projects for their titles.
    projects = (
        agreements.filter(parties__organisation=membership.organisation_id)
        .order_by()
        .values("project_id")
    )
    return access_for(user).remember(
        PARTNER_PROJECTS,
        lambda: sorted(set(projects.values_list("project_id", flat=True))),
        # Outside a request, the same set as a subquery, read afresh by every statement.
        otherwise=projects,
    )


def ids_q(field: str, ids) -> Q:
    """``field`` among ``ids`` (a list, or a subquery outside a request). On PostgreSQL a
    list goes as one array parameter (``IN (SELECT unnest(%s))``), not one parameter per id:
    for a partner of a thousand projects, binding a parameter per id cost more than the
    statements themselves."""
    from django.db import connection

    if isinstance(ids, list) and connection.vendor == "postgresql":
        from django.db.models.expressions import RawSQL

        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [ids])})
    return Q(**{f"{field}__in": ids})
