"""A clinic's innovation page: its projects, the ideas on their way, and where to find help."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from clinics.selectors import clinics_visible_to
from clinics.views import contacts_by_area
from portfolio.selectors.ideas import clinic_projects_for, clinic_submitted_ideas_for


@login_required
def clinic_detail(request, pk):
    """The clinic's innovation work: its projects and their stage, and where to find help."""
    clinic = get_object_or_404(clinics_visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "portfolio/clinic_detail.html",
        {
            "clinic": clinic,
            "projects": clinic_projects_for(user=request.user, clinic=clinic),
            "ideas_in_review": clinic_submitted_ideas_for(user=request.user, clinic=clinic)[:20],
            "contacts_by_area": contacts_by_area(clinic),
        },
    )
