"""The progress roll-up's sections on the project page (``portfolio.project_page``) and the
agreement page (``partners.agreement_page``), registered in ``PartnershipConfig.ready()``: one query
on the project page (its phases come with the phase list of ``pages.project_page_phases``),
two on the agreement page, whatever the number of milestones, targets and phases."""

from clinics.access import access_for
from clinics.models import User
from partners.models import Agreement
from portfolio.models import Project

from .access import progress_mode_can_choose
from .models import Phase
from .progress import phases_with_progress, progress_of, project_progress


def _phases(user: User, **filters) -> list[Phase]:
    phases = list(
        phases_with_progress(Phase.objects.visible_to(user).filter(**filters)).order_by(
            "agreement__title", "-agreement__version", "number"
        )
    )
    for phase in phases:
        phase.rollup = progress_of(phase)
        phase.bar_id = f"phase-rollup-{phase.pk}"
    return phases


def project_page_progress(user: User, project: Project) -> dict:
    return {
        "project_rollup": project_progress(project),
        "can_choose_progress_mode": progress_mode_can_choose(access_for(user), project),
    }


def agreement_page_progress(user: User, agreement: Agreement) -> dict | None:
    phases = _phases(user, agreement=agreement)
    if not phases:
        return None
    return {
        "template": "partnership/_agreement_progress.html",
        "project_rollup": project_progress(agreement.project),
        "phases": phases,
    }
