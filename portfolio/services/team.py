"""A project's team: requests to join, accepting and declining them, adding members, roles,
leaving; and telling the members of the project's gate decisions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinics.access import access_for
from clinics.models import User
from core.notifications import notify
from portfolio.access import project_team_can_manage, project_team_can_request_join
from portfolio.models import Project, ProjectMember
from portfolio.selectors.team import project_team_candidates, project_team_users


def _project_url(project: Project) -> str:
    return reverse("portfolio:project_detail", args=[project.pk]) + "#team-heading"


@transaction.atomic
def project_join_request(*, project: Project, actor: User) -> ProjectMember:
    """A staff member asks to join; the project's owner hears of it."""
    if not project_team_can_request_join(access_for(actor), project):
        raise PermissionDenied
    if ProjectMember.objects.filter(project=project, user=actor).exists():
        raise ValidationError(
            _("You are already on this team, or have asked to join it."), code="exists"
        )
    member = ProjectMember(project=project, user=actor, role=ProjectMember.Role.MEMBER)
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # a double click: the first request stands
        raise ValidationError(
            _("You are already on this team, or have asked to join it."), code="exists"
        ) from None
    if project.owner_id != actor.pk:
        notify(
            recipient=project.owner,
            message=format_lazy(
                _("{person} asks to join the project “{project}”"),
                person=str(actor),
                project=project.title,
            ),
            url=_project_url(project),
        )
    return member


def _require_manage(actor: User, project: Project) -> None:
    if not project_team_can_manage(access_for(actor), project):
        raise PermissionDenied


@transaction.atomic
def project_join_decide(*, member: ProjectMember, accept: bool, actor: User) -> None:
    """A steering leader accepts (the request becomes membership) or declines (it goes)."""
    _require_manage(actor, member.project)
    member = (
        ProjectMember.objects.select_for_update()
        .select_related("project", "user")
        .get(pk=member.pk)
    )
    if not member.is_pending:
        raise ValidationError(_("This request was already answered."), code="answered")
    project = member.project
    if accept:
        member.accepted_at = timezone.now()
        member.save(update_fields=["accepted_at", "updated_at"])
        message = _("You joined the team of the project “{project}”")
    else:
        member.delete()
        message = _("Your request to join the project “{project}” was declined")
    notify(
        recipient=member.user,
        message=format_lazy(message, project=project.title),
        url=_project_url(project),
    )


@transaction.atomic
def project_member_add(*, project: Project, user: User, role: str, actor: User) -> ProjectMember:
    """A steering leader adds someone who may be on the team (``project_team_candidates``);
    a pending request of theirs is accepted with the role given."""
    _require_manage(actor, project)
    if role not in ProjectMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid")
    if not project_team_candidates(project).filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": ValidationError(
                    _(
                        "Only staff and leaders of the project's clinics, and partner users "
                        "of its parties, can be on its team."
                    ),
                    code="not_eligible",
                )
            }
        )
    member = ProjectMember.objects.select_for_update().filter(project=project, user=user).first()
    if member is not None and not member.is_pending:
        raise ValidationError(
            {"user": ValidationError(_("This person is on the team already."), code="exists")}
        )
    if member is None:
        member = ProjectMember(project=project, user=user)
    member.role = role
    member.accepted_at = timezone.now()
    member.full_clean(validate_constraints=False)
    member.save()
    if user.pk != actor.pk:
        notify(
            recipient=user,
            message=format_lazy(
                _("You were added to the team of the project “{project}”"), project=project.title
            ),
            url=_project_url(project),
        )
    return member


@transaction.atomic
def project_member_change_role(*, member: ProjectMember, role: str, actor: User) -> ProjectMember:
    _require_manage(actor, member.project)
    if role not in ProjectMember.Role.values:
        raise ValidationError({"role": _("Choose a role.")}, code="invalid")
    member = ProjectMember.objects.select_for_update().get(pk=member.pk)
    if member.is_pending:
        raise ValidationError(_("Accept the request before giving a role."), code="pending")
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    return member


@transaction.atomic
def project_member_remove(*, member: ProjectMember, actor: User) -> None:
    """A steering leader removes a member; a member leaves (or withdraws their request)."""
    if member.user_id != actor.pk:
        _require_manage(actor, member.project)
    ProjectMember.objects.filter(pk=member.pk).delete()


def project_team_notify_stage_change(
    *, project: Project, from_stage: str, to_stage: str, actor: User | None = None
) -> None:
    """Tell the team that the project passed a gate (inside the gate's transaction); not the
    leader who decided it."""
    people = project_team_users(project)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    if project.idea_id:
        # The idea's submitter hears of it already (``idea_notify_project_stage_change``).
        people = people.exclude(pk=project.idea.submitter_id)
    for person in people:
        notify(
            recipient=person,
            message=format_lazy(
                _("The project “{project}” moved from {from_stage} to {to_stage}"),
                project=project.title,
                from_stage=Project.Stage(from_stage).label if from_stage else "–",
                to_stage=Project.Stage(to_stage).label,
            ),
            url=reverse("portfolio:project_detail", args=[project.pk]),
        )
