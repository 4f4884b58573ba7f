"""Who may change a project's adoptions, record a clinic's measurements and take scale-up
decisions. One named function per question, each taking the person's ``Access``.

Decided: the leaders who steer the project (``project_can_steer``: its lead clinic's leaders,
superusers) plan adoptions and decide on scaling; the leaders of an adopting clinic also
update their own clinic's adoption and record its measurements, since they run it there. They
read the project because an adoption makes their clinic one of the project's clinics.
"""

from clinics.access import Access
from portfolio.access import project_can_steer
from portfolio.models import Project

from .models import Adoption


def adoption_can_plan(access: Access, project: Project) -> bool:
    """Name a clinic that will take the solution up: a leader who steers the project."""
    return access.is_leader and project_can_steer(access, project)


def adoption_can_update(access: Access, adoption: Adoption) -> bool:
    """Move an adoption (piloting, adopted, abandoned) and change its dates: who steers the
    project, or a leader of the adopting clinic."""
    return adoption_can_plan(access, adoption.project) or (
        access.is_leader and access.leads_clinic(adoption.clinic_id)
    )


def clinic_measurement_can_record(access: Access, adoption: Adoption) -> bool:
    """Record a value indicator measured in the adopting clinic: as updating its adoption."""
    return adoption_can_update(access, adoption)


def scale_decision_can_take(access: Access, project: Project) -> bool:
    """Decide (or correct) scale up / continue piloting / phase out: a leader who steers."""
    return adoption_can_plan(access, project)


def figures_readable(access: Access) -> bool:
    """The measured figures across clinics and the decisions' evidence are the region's side
    (clinic staff, leaders, superusers); a partner user reads the adoptions (where, how far),
    as it reads whether interim targets were met, not the region's measured values."""
    return access.is_authenticated and not access.is_partner
