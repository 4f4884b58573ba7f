from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse

from .models import SupportContact
from .selectors import clinics_visible_to, support_contacts_for_clinic

# Each role's start page; the named URLs are added by the apps that build those pages.
START_PAGES = {
    "staff": "portfolio:my_ideas",
    "leader": "portfolio:dashboard",
    "partner": "partners:home",
}


def _start_page(user):
    if user.is_superuser or user.role == "admin":
        return reverse("admin:index")
    try:
        return reverse(START_PAGES[user.role])
    except (KeyError, NoReverseMatch):
        return None


@login_required
def home(request):
    """Send each person to their own start page."""
    target = _start_page(request.user)
    if target:
        return redirect(target)
    return render(request, "clinics/home.html")


def contacts_by_area(clinic):
    contacts = list(support_contacts_for_clinic(clinic).select_related("clinic"))
    return [
        (label, [c for c in contacts if c.area == area])
        for area, label in SupportContact.Area.choices
    ]


@login_required
def clinic_help(request, pk):
    """Who helps with what, close to the clinic: Region Midtjylland's 'help must be visible'."""
    clinic = get_object_or_404(clinics_visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "clinics/clinic_help.html",
        {"clinic": clinic, "contacts_by_area": contacts_by_area(clinic)},
    )


@login_required
def my_help(request):
    """The help link in every staff page's header: the person's own clinic's help page."""
    clinic = clinics_visible_to(request.user).first()
    if clinic is None:
        return render(request, "clinics/home.html", status=404)
    return redirect("clinics:help", pk=clinic.pk)
