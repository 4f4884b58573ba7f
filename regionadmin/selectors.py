"""Reads of the region administration pages: only the regions the person administers, and
only rows of such a region (anything else is the same 404 as a missing id)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from clinics.access import access_for
from clinics.models import Clinic, LeaderScope, Region, SupportContact, User
from partners.models import PartnerOrganisation
from portfolio.models import Theme


def regions_administered_by(user: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=access_for(user).administered_region_ids).order_by("name")


def region_for_admin_or_404(user: User, pk: int) -> Region:
    region = regions_administered_by(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def _search(queryset: QuerySet, q: str, *fields: str) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return queryset.filter(condition)


def clinics_of_region(region: Region, q: str = "") -> QuerySet[Clinic]:
    return _search(Clinic.objects.filter(region=region), q, "name").order_by("name", "pk")


def support_contacts_of_region(region: Region, q: str = "") -> QuerySet[SupportContact]:
    return _search(
        SupportContact.objects.filter(region=region).select_related("clinic"),
        q,
        "name",
        "title",
        "email",
        "clinic__name",
    ).order_by("area", "name", "pk")


def themes_of_region(region: Region, q: str = "") -> QuerySet[Theme]:
    """The region's own themes (the shared ones are kept in the Django admin), active first."""
    return _search(
        Theme.objects.filter(region=region), q, "name", "name_sv", "name_da", "name_en"
    ).order_by("-is_active", "name", "pk")


def leader_scopes_of_region(region: Region, q: str = "") -> QuerySet[LeaderScope]:
    return _search(
        LeaderScope.objects.filter(region=region).select_related("leader", "clinic"),
        q,
        "leader__username",
        "leader__first_name",
        "leader__last_name",
        "clinic__name",
    ).order_by("leader__first_name", "leader__last_name", "leader__username", "clinic__name")


def partner_organisations_of_region(region: Region, q: str = "") -> QuerySet[PartnerOrganisation]:
    """The organisations whose details the region keeps (``PartnerOrganisation.region``)."""
    return _search(
        PartnerOrganisation.objects.filter(region=region),
        q,
        "name",
        "registration_number",
        "contact_email",
    ).order_by("name", "pk")
