"""The adoption section of the project page (``portfolio.project_page``), registered in
``EvidenceConfig.ready()``: how many clinics plan, pilot, have adopted or abandoned the
solution, and the link to the page across clinics. Whoever reads the project reads this."""

from clinics.models import User
from portfolio.models import Project

from .models import Adoption


def project_page_adoptions(user: User, project: Project) -> dict:
    counts = Adoption.objects.filter(project=project).counts_by_status()
    return {
        "adoption_counts": [
            (label, counts.get(status, 0)) for status, label in Adoption.Status.choices
        ],
    }
