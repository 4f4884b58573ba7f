"""Demo: the innovation partnerships' projects roll their progress up by phase budget, their
first milestone weighing three times the others, chosen by the leader who steers each (through
the service, as on the page). Idempotent: a project that has a setting already is left alone."""

from clinics.access import access_for
from partnership.access import progress_mode_can_choose
from partnership.models import Phase, ProgressSetting
from partnership.services.progress import project_progress_set
from portfolio.models import Project


def seed_progress() -> int:
    projects = (
        Project.objects.filter(
            pk__in=Phase.objects.values("agreement__project"), progress_setting__isnull=True
        )
        .select_related("owner")
        .order_by("pk")
    )
    seeded = 0
    for project in projects:
        owner = project.owner
        if owner is None or not progress_mode_can_choose(access_for(owner), project):
            continue
        first = project.milestones.order_by("due_on", "pk").first()
        project_progress_set(
            project=project,
            actor=owner,
            expected_version=0,
            mode=ProgressSetting.Mode.PHASE_BUDGET,
            weights={first.pk: 3} if first else {},
        )
        seeded += 1
    return seeded
