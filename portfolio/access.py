"""Who may do what with the portfolio's objects: ideas, challenges, projects.

One named function per question, each taking the person's ``Access`` (``clinics.access``), so a
page, the API, an admin action and a task ask the same question the same way. Reads are scoped by
the ``visible_to`` query sets (``portfolio.querysets``); these functions answer what a person may
*change* in what they can read. 404 for "not yours" comes from reading through ``visible_to``;
a person who reads an object but may not change it gets 403.
"""

from django.db.models import Q, QuerySet

from clinics.access import Access, access_for
from portfolio.models import Challenge, Comment, Idea, Project


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


# --- Discussion ----------------------------------------------------------------------------------
def thread_can_read(access: Access, target: Idea | Project) -> bool:
    """Read the discussion of an idea or a project: whoever may read the idea or the project
    (``visible_to``; a partner user reads a project's thread only as a party, never an idea's)."""
    if not access.is_authenticated:
        return False
    return type(target).objects.visible_to(access.user).filter(pk=target.pk).exists()


def thread_can_write(access: Access, target: Idea | Project) -> bool:
    """Comment in a discussion: the same people who read it."""
    return thread_can_read(access, target)


def comment_can_edit(access: Access, comment: Comment, now) -> bool:
    """Its author, within ``Comment.EDIT_MINUTES`` of writing it."""
    return comment_is_own(access, comment) and comment_edit_window_open(comment, now)


def comment_can_delete(access: Access, comment: Comment, *, answered: bool) -> bool:
    """Its author, while nobody has answered after it; never once answered."""
    return comment_is_own(access, comment) and not answered


def comment_is_own(access: Access, comment: Comment) -> bool:
    return access.is_authenticated and comment.author_id == access.user.pk


def comment_edit_window_open(comment: Comment, now) -> bool:
    from datetime import timedelta

    return now - comment.created_at <= timedelta(minutes=Comment.EDIT_MINUTES)


def innovation_time_can_record(access: Access, project: Project) -> bool:
    """Record one's own innovation time on a running project one may read (the caller reads it
    through ``innovation_time_projects_for``): clinic staff and leaders, never partners, whose
    time is their organisation's, not the region's innovation time."""
    if not (access.is_staff or access.is_leader):
        return False
    return project.stage in Project.ACTIVE_STAGES


def innovation_time_can_read_totals(access: Access) -> bool:
    """The clinics' totals of innovation time are for the region's leaders (and superusers)."""
    return access.is_leader


def project_team_can_manage(access: Access, project: Project) -> bool:
    """Accept or decline requests to join, add members, change roles, remove: the leaders who
    steer the project."""
    return project_can_steer(access, project)


def project_team_can_request_join(access: Access, project: Project) -> bool:
    """Ask to join a running project one may read (the caller reads it through
    ``visible_to``): clinic staff."""
    return access.is_staff and project.stage in Project.ACTIVE_STAGES


def benefit_can_manage(access: Access, project: Project) -> bool:
    """Add and change a project's benefits and record their reviews: the leaders who steer it,
    also once it is completed (the register outlives the project)."""
    return project_can_steer(access, project)


def benefits_can_read(access: Access) -> bool:
    """The benefits register of a project one reads: the region's people (staff and leaders).
    Not partner users: expected and realised values are the region's own accounts."""
    return access.is_staff or access.is_leader
