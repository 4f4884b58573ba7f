"""The innovation partnership's sections on the pages of the apps below: the project page
(``portfolio.project_page``) and the agreement page (``partners.agreement_page``), registered
in ``PartnershipConfig.ready()``. Each returns only what the reader may see."""

from clinics.access import access_for
from clinics.models import User
from partners.models import Agreement
from portfolio.models import Project

from .access import phase_can_manage
from .models import Phase
from .progress import phases_with_progress, progress_of
from .selectors import phases_of_agreement


def project_page_phases(user: User, project: Project) -> dict:
    """The phases of the project's agreements the reader may see (none for clinic staff)."""
    # With their progress roll-up (``partnership.progress``) in the same query: the project
    # page's progress section shows these phases.
    phases = list(
        phases_with_progress(Phase.objects.visible_to(user).filter(agreement__project=project))
        .select_related("agreement")
        .order_by("agreement__title", "-agreement__version", "number")
    )
    for phase in phases:
        phase.rollup = progress_of(phase)
        phase.bar_id = f"phase-rollup-{phase.pk}"
    return {"innovation_phases": phases}


def agreement_page_phases(user: User, agreement: Agreement) -> dict:
    return {
        "template": "partnership/_agreement_phases.html",
        "phases": phases_of_agreement(user, agreement),
        "can_plan_phases": phase_can_manage(access_for(user), agreement),
    }


def agreement_page_contributions(user: User, agreement: Agreement) -> dict:
    """A link to the contributions page (and, for leaders, the state-aid account)."""
    from .access_contributions import state_aid_account_can_read

    return {
        "template": "partnership/_agreement_contributions.html",
        "sees_state_aid": state_aid_account_can_read(access_for(user)),
    }
