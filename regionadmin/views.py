"""The region administration pages: a region administrator keeps their region's clinics,
support contacts, themes and leader scopes without the Django admin.

Thin views: the gate (403 for someone who administers no region; 404 for a region or a row
that is not theirs), the selectors, the services (which check the rule again), the template.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinics.access import access_for
from core.forms import add_service_errors, form_has_error_code
from partners.services import organisations as organisation_services
from portfolio.models import Theme

from . import selectors
from .forms import (
    ClinicForm,
    LeaderScopeForm,
    PartnerOrganisationForm,
    SearchForm,
    SupportContactForm,
    ThemeForm,
)
from .services import clinics as clinic_services
from .services import leader_scopes as scope_services
from .services import support_contacts as contact_services
from .services import themes as theme_services

PAGE_SIZE = 25


def region_admin_required(view):
    """Signed in (else the login page), administering some region (else 403), and this
    region (else 404, as for a region that does not exist)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, region_pk=None, **kwargs):
        if not access_for(request.user).administered_region_ids:
            raise PermissionDenied
        if region_pk is None:
            return view(request, *args, **kwargs)
        region = selectors.region_for_admin_or_404(request.user, region_pk)
        return view(request, region, *args, **kwargs)

    return wrapper


def _list_page(request, queryset, template, context):
    search = SearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(queryset(q), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(request, template, {"page": page, "search": search, "query": query, **context})


def _form_page(request, template, context, *, saved: bool):
    """The form again after a refused POST: 409 for a stale version, else 400."""
    status = 200
    if request.method == "POST" and not saved:
        status = 409 if form_has_error_code(context["form"], "stale") else 400
    return render(request, template, context, status=status)


def _save(request, form, write, success_message) -> bool:
    """Run ``write(cleaned_data)`` if the form is valid; a service's refusal goes next to its
    field. Returns whether it was saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success_message)
    return True


# --- Start -----------------------------------------------------------------------------------


@region_admin_required
@require_GET
def index(request):
    regions = list(selectors.regions_administered_by(request.user))
    if len(regions) == 1:
        return redirect("regionadmin:region", region_pk=regions[0].pk)
    return render(request, "regionadmin/index.html", {"regions": regions})


@region_admin_required
@require_GET
def region_home(request, region):
    return render(request, "regionadmin/region_home.html", {"region": region})


# --- Clinics ---------------------------------------------------------------------------------


@region_admin_required
@require_GET
def clinic_list(request, region):
    return _list_page(
        request,
        lambda q: selectors.clinics_of_region(region, q),
        "regionadmin/clinic_list.html",
        {"region": region},
    )


def _clinic_fields(data):
    return {
        "name": data["name"],
        "kind": data["kind"],
        "description": data["description"],
        "innovation_clinic_since": data["innovation_clinic_since"],
        "allotted_innovation_hours_per_week": data["allotted_innovation_hours_per_week"],
    }


@region_admin_required
@require_http_methods(["GET", "POST"])
def clinic_create(request, region):
    form = ClinicForm(request.POST if request.method == "POST" else None)
    saved = _save(
        request,
        form,
        lambda data: clinic_services.clinic_create(
            actor=request.user, region=region, **_clinic_fields(data)
        ),
        _("The clinic is added."),
    )
    if saved:
        return redirect("regionadmin:clinics", region_pk=region.pk)
    return _form_page(
        request, "regionadmin/clinic_form.html", {"region": region, "form": form}, saved=False
    )


@region_admin_required
@require_http_methods(["GET", "POST"])
def clinic_edit(request, region, pk):
    clinic = get_object_or_404(selectors.clinics_of_region(region), pk=pk)
    initial = {**_clinic_fields(clinic.__dict__), "version": clinic.version}
    form = ClinicForm(request.POST if request.method == "POST" else None, initial=initial)
    saved = _save(
        request,
        form,
        lambda data: clinic_services.clinic_update(
            clinic=clinic,
            actor=request.user,
            expected_version=data["version"],
            **_clinic_fields(data),
        ),
        _("The clinic is saved."),
    )
    if saved:
        return redirect("regionadmin:clinics", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/clinic_form.html",
        {"region": region, "form": _current_values(form, clinic), "clinic": clinic},
        saved=False,
    )


def _current_values(form, obj):
    """After a stale refusal the form shows what is stored now (and its version), so the person
    sees the other change before saving theirs again."""
    if not form_has_error_code(form, "stale"):
        return form
    obj.refresh_from_db()
    form.data = form.data.copy()
    for name in form.fields:
        value = getattr(obj, f"{name}_id", None) if name == "clinic" else getattr(obj, name, None)
        if value is not None:
            form.data[name] = value
    return form


# --- Support contacts ------------------------------------------------------------------------


@region_admin_required
@require_GET
def support_contact_list(request, region):
    return _list_page(
        request,
        lambda q: selectors.support_contacts_of_region(region, q),
        "regionadmin/supportcontact_list.html",
        {"region": region},
    )


CONTACT_FIELDS = ("clinic", "area", "name", "title", "email", "phone", "how_to_reach")


def _contact_fields(data):
    return {name: data[name] for name in CONTACT_FIELDS}


@region_admin_required
@require_http_methods(["GET", "POST"])
def support_contact_create(request, region):
    form = SupportContactForm(
        request.POST if request.method == "POST" else None,
        clinics=selectors.clinics_of_region(region),
    )
    saved = _save(
        request,
        form,
        lambda data: contact_services.support_contact_create(
            actor=request.user, region=region, **_contact_fields(data)
        ),
        _("The support contact is added."),
    )
    if saved:
        return redirect("regionadmin:support_contacts", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/supportcontact_form.html",
        {"region": region, "form": form},
        saved=False,
    )


@region_admin_required
@require_http_methods(["GET", "POST"])
def support_contact_edit(request, region, pk):
    contact = get_object_or_404(selectors.support_contacts_of_region(region), pk=pk)
    initial = {
        **{name: getattr(contact, name) for name in CONTACT_FIELDS},
        "clinic": contact.clinic_id,
        "version": contact.version,
    }
    form = SupportContactForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        clinics=selectors.clinics_of_region(region),
    )
    saved = _save(
        request,
        form,
        lambda data: contact_services.support_contact_update(
            contact=contact,
            actor=request.user,
            expected_version=data["version"],
            **_contact_fields(data),
        ),
        _("The support contact is saved."),
    )
    if saved:
        return redirect("regionadmin:support_contacts", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/supportcontact_form.html",
        {"region": region, "form": _current_values(form, contact), "contact": contact},
        saved=False,
    )


@region_admin_required
@require_POST
def support_contact_delete(request, region, pk):
    contact = get_object_or_404(selectors.support_contacts_of_region(region), pk=pk)
    contact_services.support_contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("The support contact is removed."))
    return redirect("regionadmin:support_contacts", region_pk=region.pk)


# --- Themes ----------------------------------------------------------------------------------


@region_admin_required
@require_GET
def theme_list(request, region):
    shared = Theme.objects.filter(region__isnull=True, is_active=True)
    return _list_page(
        request,
        lambda q: selectors.themes_of_region(region, q),
        "regionadmin/theme_list.html",
        {"region": region, "shared_themes": shared},
    )


def _theme_names(data):
    return {"name_sv": data["name_sv"], "name_da": data["name_da"], "name_en": data["name_en"]}


@region_admin_required
@require_http_methods(["GET", "POST"])
def theme_create(request, region):
    form = ThemeForm(request.POST if request.method == "POST" else None, region=region)
    saved = _save(
        request,
        form,
        lambda data: theme_services.theme_create(
            actor=request.user, region=region, **_theme_names(data)
        ),
        _("The theme is added."),
    )
    if saved:
        return redirect("regionadmin:themes", region_pk=region.pk)
    return _form_page(
        request, "regionadmin/theme_form.html", {"region": region, "form": form}, saved=False
    )


@region_admin_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, region, pk):
    theme = get_object_or_404(selectors.themes_of_region(region), pk=pk)
    initial = {**_theme_names(theme.__dict__), "version": theme.version}
    form = ThemeForm(
        request.POST if request.method == "POST" else None, initial=initial, region=region
    )
    saved = _save(
        request,
        form,
        lambda data: theme_services.theme_update(
            theme=theme, actor=request.user, expected_version=data["version"], **_theme_names(data)
        ),
        _("The theme is saved."),
    )
    if saved:
        return redirect("regionadmin:themes", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/theme_form.html",
        {"region": region, "form": _current_values(form, theme), "theme": theme},
        saved=False,
    )


@region_admin_required
@require_POST
def theme_archive(request, region, pk):
    theme = get_object_or_404(selectors.themes_of_region(region), pk=pk)
    active = request.POST.get("active") == "1"
    theme_services.theme_set_active(theme=theme, actor=request.user, active=active)
    messages.success(
        request, _("The theme is back in use.") if active else _("The theme is archived.")
    )
    return redirect("regionadmin:themes", region_pk=region.pk)


# --- Leader scopes ---------------------------------------------------------------------------


@region_admin_required
@require_GET
def leader_scope_list(request, region):
    return _list_page(
        request,
        lambda q: selectors.leader_scopes_of_region(region, q),
        "regionadmin/leaderscope_list.html",
        {"region": region},
    )


@region_admin_required
@require_http_methods(["GET", "POST"])
def leader_scope_create(request, region):
    form = LeaderScopeForm(
        request.POST if request.method == "POST" else None,
        leaders=scope_services.leaders_of_region(region),
        clinics=selectors.clinics_of_region(region),
    )
    saved = _save(
        request,
        form,
        lambda data: scope_services.leader_scope_add(
            actor=request.user, region=region, leader=data["leader"], clinic=data["clinic"]
        ),
        _("The leader scope is added."),
    )
    if saved:
        return redirect("regionadmin:leader_scopes", region_pk=region.pk)
    return _form_page(
        request, "regionadmin/leaderscope_form.html", {"region": region, "form": form}, saved=False
    )


@region_admin_required
@require_POST
def leader_scope_remove(request, region, pk):
    scope = get_object_or_404(selectors.leader_scopes_of_region(region), pk=pk)
    scope_services.leader_scope_remove(scope=scope, actor=request.user)
    messages.success(request, _("The leader scope is removed."))
    return redirect("regionadmin:leader_scopes", region_pk=region.pk)


# --- Partner organisations -------------------------------------------------------------------


@region_admin_required
@require_GET
def partner_organisation_list(request, region):
    return _list_page(
        request,
        lambda q: selectors.partner_organisations_of_region(region, q),
        "regionadmin/partnerorganisation_list.html",
        {"region": region},
    )


def _organisation_fields(data):
    return {name: data[name] for name in organisation_services.FIELDS}


@region_admin_required
@require_http_methods(["GET", "POST"])
def partner_organisation_create(request, region):
    form = PartnerOrganisationForm(request.POST if request.method == "POST" else None)
    saved = _save(
        request,
        form,
        lambda data: organisation_services.partner_organisation_create(
            actor=request.user, region=region, **_organisation_fields(data)
        ),
        _("The partner organisation is added."),
    )
    if saved:
        return redirect("regionadmin:partner_organisations", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/partnerorganisation_form.html",
        {"region": region, "form": form},
        saved=False,
    )


@region_admin_required
@require_http_methods(["GET", "POST"])
def partner_organisation_edit(request, region, pk):
    organisation = get_object_or_404(selectors.partner_organisations_of_region(region), pk=pk)
    initial = {
        **{name: getattr(organisation, name) for name in organisation_services.FIELDS},
        "version": organisation.version,
    }
    form = PartnerOrganisationForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    saved = _save(
        request,
        form,
        lambda data: organisation_services.partner_organisation_update(
            organisation=organisation,
            actor=request.user,
            expected_version=data["version"],
            **_organisation_fields(data),
        ),
        _("The partner organisation is saved."),
    )
    if saved:
        return redirect("regionadmin:partner_organisations", region_pk=region.pk)
    return _form_page(
        request,
        "regionadmin/partnerorganisation_form.html",
        {
            "region": region,
            "form": _current_values(form, organisation),
            "organisation": organisation,
        },
        saved=False,
    )
