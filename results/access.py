"""Who may publish a project's result for citizens.

One named function per question, taking the person's ``Access``. Reading a published result
needs no rule: it is public (``Publication.objects.published()``).
"""

from clinics.access import Access
from portfolio.access import project_can_steer
from portfolio.models import Project


def publication_can_manage(access: Access, project: Project) -> bool:
    """Write, preview, publish and unpublish the public result of a project: a leader who
    steers it (superusers hold every leader's right)."""
    return access.is_leader and project_can_steer(access, project)
