"""The partnership on a project's page: its agreements and milestones, for those who may read
them (registered with ``portfolio.project_page`` in ``PartnersConfig.ready()``)."""

from django.db.models import Prefetch, QuerySet

from clinics.access import access_for
from clinics.models import User
from partners.access import agreement_can_manage, ledger_can_read, milestone_can_manage
from partners.models import Agreement, AgreementParty, Milestone
from portfolio.models import Project


def project_agreements_for(user: User, project: Project) -> QuerySet[Agreement]:
    """The agreements of the project that ``user`` may read (none for clinic staff)."""
    return (
        Agreement.objects.visible_to(user)
        .filter(project=project)
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        .order_by("title", "-version")
    )


def project_milestones_for(user: User, project: Project) -> QuerySet[Milestone]:
    return (
        Milestone.objects.visible_to(user)
        .filter(project=project)
        .select_related("project", "responsible_party")
        .order_by("due_on", "pk")
    )


def project_page_partnership(user: User, project: Project) -> dict:
    """The one project page's partnership sections, and what the reader may do with them: plan
    milestones and write agreements (who steers the project), open each agreement's IP and
    income ledger (leaders, ``ledger_can_read``)."""
    access = access_for(user)
    return {
        "agreements": project_agreements_for(user, project),
        "milestones": project_milestones_for(user, project),
        "can_plan_milestones": milestone_can_manage(access, project),
        "can_write_agreements": agreement_can_manage(access, project),
        "can_read_ledger": ledger_can_read(access),
    }
