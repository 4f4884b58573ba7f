"""Who may do what with the portfolio's objects: ideas, challenges, projects.

One named function per question, each taking the person's ``Access`` (``clinics.access``), so a
page, the API, an admin action and a task ask the same question the same way. Reads are scoped by
the ``visible_to`` query sets (``portfolio.querysets``); these functions answer what a person may
*change* in what they can read. 404 for "not yours" comes from reading through ``visible_to``;
a person who reads an object but may not change it gets 403.
"""

from django.db.models import Q, QuerySet

from clinics.access import Access, access_for
from portfolio.models import Challenge, Idea, Project


def project_can_steer(access: Access, project: Project) -> bool:
    """Move the project through a gate, post status updates, record measurements, and (the
    partners app) plan its milestones and write its agreements and ledger.

    Only leaders of its lead clinic (directly or through their whole region), and superusers:
    a joint project that a leader sees because one of their clinics is an "other clinic" is
    theirs to read, not to steer.
    """
    return access.leads_clinic(project.lead_clinic_id)


def project_can_create_in(access: Access, clinic_id: int | None) -> bool:
    """Start a project (other than by accepting an idea) led by a clinic one leads."""
    return access.leads_clinic(clinic_id)


def project_document_can_delete(access: Access, project: Project, uploaded_by_id: int) -> bool:
    """Remove a project's document: the person who added it (while they may still read the
    project), or a leader who steers the project."""
    return uploaded_by_id == access.user.pk or project_can_steer(access, project)


def project_can_read_history(access: Access) -> bool:
    """The audit trail of a project is for the region's leaders (and administrators)."""
    return access.is_leader


def idea_can_review(access: Access, idea: Idea) -> bool:
    """Score, ask, accept, decline or merge: leaders of the idea's clinic."""
    return access.leads_clinic(idea.clinic_id)


def challenge_can_post(access: Access, *, region_id: int, clinic_id: int | None) -> bool:
    """A leader posts for a clinic they lead, or region-wide only for a region they lead whole."""
    if clinic_id is not None:
        return access.leads_clinic(clinic_id)
    return access.leads_whole_region(region_id)


def challenges_editable_by(user) -> QuerySet[Challenge]:
    """Challenges a leader may edit: those of the clinics they lead, and the region-wide ones
    only of regions they lead as a whole (a leader of some clinics reads those, no more)."""
    from clinics.access import clinics_led_by

    access = access_for(user)
    if not access.is_leader:
        return Challenge.objects.none()
    if access.is_superuser:
        return Challenge.objects.all()
    return Challenge.objects.visible_to(user).filter(
        Q(clinic__in=clinics_led_by(user))
        | Q(clinic__isnull=True, region__in=sorted(access.whole_region_ids))
    )
