"""The results pages: the public ones (no login: the list, a result's page, the Atom feed and
the open data) and the leader's publish step.

The public pages are throttled for anonymous visitors (``results.throttle``) and cached for
them by language, address and query string under the results' version (``results.cache``).
They speak the visitor's chosen language (``?lang=``, remembered in the language cookie, or a
signed-in person's own), else the result's region's language (the list: the filtered region's,
else the browser's).
"""

import json
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinics.access import access_for, require_or_404
from clinics.models import Region
from core.csv import csv_response
from core.forms import add_service_errors, form_has_error_code
from portfolio.selectors.projects import project_for_user_or_404

from . import selectors
from .access import publication_can_manage
from .cache import cache_seconds, page_key
from .feeds import ResultsFeed
from .forms import PublicationForm, ResultFilterForm, UnpublishForm
from .models import Publication
from .services.publications import publication_save, publication_unpublish
from .throttle import throttled

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


# --- Serving a public page -----------------------------------------------------------------------
def _too_many_requests(request, wait: int) -> HttpResponse:
    response = render(request, "results/too_many_requests.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _chosen_language(request) -> str | None:
    """The language the visitor asked for: ``?lang=``, the language cookie, their account."""
    asked = request.GET.get("lang")
    if asked in LANGUAGE_CODES:
        return asked
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in LANGUAGE_CODES:
        return request.COOKIES[settings.LANGUAGE_COOKIE_NAME]
    if request.user.is_authenticated:
        return translation.get_language()
    return None


def _remember_language(request, response) -> None:
    asked = request.GET.get("lang")
    if asked in LANGUAGE_CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            asked,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


def _serve_public(
    request,
    build: Callable[[], HttpResponse],
    *,
    default_language: Callable[[], str | None] | None = None,
) -> HttpResponse:
    """Throttle, pick the language, answer from the cache (anonymous visitors), else build.

    ``default_language`` says the page's own language when the visitor chose none (a
    result's region's); the cache key then says "region", which the address decides.
    """
    chosen = _chosen_language(request)
    wait = throttled(request)
    if wait:
        with translation.override(chosen or translation.get_language()):
            return _too_many_requests(request, wait)
    if chosen:
        language_key = chosen
    elif default_language is not None:
        language_key = "region"
    else:
        language_key = translation.get_language()
    anonymous = not request.user.is_authenticated
    key = page_key(language_key, request.path, request.GET.urlencode()) if anonymous else None
    cached = cache.get(key) if key else None
    if cached is not None:
        response = HttpResponse(cached["content"], status=200)
        for header, value in cached["headers"].items():
            response[header] = value
        _remember_language(request, response)
        return response
    language = chosen or (default_language() if default_language else None)
    with translation.override(language or translation.get_language()):
        response = build()
        if response.streaming:
            # Open data is streamed to signed-in people; kept whole for the cache.
            content = b"".join(response.streaming_content)
            whole = HttpResponse(content, status=response.status_code)
            for header, value in response.items():
                whole[header] = value
            response = whole
        elif hasattr(response, "render"):
            response.render()
        response.content  # noqa: B018 - rendered in the page's language, before it ends
        response["Content-Language"] = translation.get_language()
    if key and response.status_code == 200:
        headers = {
            header: value
            for header, value in response.items()
            if header in ("Content-Type", "Content-Disposition", "Content-Language")
        }
        cache.set(key, {"content": response.content, "headers": headers}, cache_seconds())
    _remember_language(request, response)
    return response


def _language_links(request) -> list[dict]:
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        query = request.GET.copy()
        query["lang"] = code
        links.append({"code": code, "url": f"?{query.urlencode()}", "current": code == current})
    return links


def _public_context(request) -> dict:
    return {"language_links": _language_links(request), "public_page": True}


# --- The public pages ----------------------------------------------------------------------------
def _filter_form(request) -> ResultFilterForm:
    form = ResultFilterForm(request.GET, choices=selectors.filter_choices())
    form.is_valid()
    return form


def _region_language_of_filter(request) -> str | None:
    slug = request.GET.get("region")
    if not slug:
        return None
    return Region.objects.filter(slug=slug).values_list("language", flat=True).first()


def result_list(request):
    def build():
        form = _filter_form(request)
        results = selectors.results_filtered(selectors.published_results(), **form.filters())
        page = Paginator(results, form.page_size()).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("lang", None)
        return render(
            request,
            "results/result_list.html",
            {
                **_public_context(request),
                "form": form,
                "page": page,
                "results": selectors.public_rows(page.object_list),
                "query": query.urlencode(),
            },
            status=400 if form.errors else 200,
        )

    default = _region_language_of_filter if request.GET.get("region") else None
    return _serve_public(request, build, default_language=default and (lambda: default(request)))


def result_detail(request, slug):
    def build():
        publication = selectors.published_result_or_404(slug)
        (row,) = selectors.public_rows([publication])
        return render(
            request,
            "results/result_detail.html",
            {**_public_context(request), "result": row},
        )

    def region_language():
        return (
            Publication.objects.published()
            .filter(slug=slug)
            .values_list("project__lead_clinic__region__language", flat=True)
            .first()
        )

    return _serve_public(request, build, default_language=region_language)


def results_feed(request):
    return _serve_public(request, lambda: ResultsFeed()(request))


def _open_data_rows(request) -> list[dict]:
    form = _filter_form(request)
    results = selectors.results_filtered(selectors.published_results(), **form.filters())
    return selectors.public_rows(results)


OPEN_DATA_FIELDS = ("title", "url", "summary", "patient_change", "region", "stage", "stage_label")


def results_open_data_json(request):
    def build():
        rows = _open_data_rows(request)
        for row in rows:
            row["url"] = request.build_absolute_uri(row["url"])
        body = json.dumps({"results": rows}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="results.json"'
        return response

    return _serve_public(request, build)


def open_data_header() -> list[str]:
    return [
        _("Title"),
        _("Address"),
        _("Public summary"),
        _("What changed for patients"),
        _("Region"),
        _("Clinics"),
        _("Themes"),
        _("Stage"),
        _("Partners"),
        _("Value indicator"),
        _("Unit"),
        _("Dimension"),
        _("Baseline"),
        _("Latest"),
        _("Latest measured on"),
        _("Target"),
        _("Published"),
        _("Updated"),
    ]


def open_data_csv_rows(rows: list[dict], absolute: Callable[[str], str]):
    """One line per result and published indicator (a result without any: one line)."""
    for row in rows:
        common = [
            row["title"],
            absolute(row["url"]),
            row["summary"],
            row["patient_change"],
            row["region"],
            ", ".join(row["clinics"]),
            ", ".join(row["themes"]),
            row["stage_label"],
            ", ".join(row["partners"]),
        ]
        dates = [row["published_at"].isoformat(), row["updated_at"].isoformat()]
        for indicator in row["indicators"] or [None]:
            if indicator is None:
                yield [*common, "", "", "", "", "", "", "", *dates]
                continue
            yield [
                *common,
                indicator["name"],
                indicator["unit"],
                indicator["dimension"],
                indicator["baseline"],
                "" if indicator["latest"] is None else indicator["latest"],
                indicator["latest_measured_on"] or "",
                indicator["target"],
                *dates,
            ]


def results_open_data_csv(request):
    def build():
        rows = _open_data_rows(request)
        return csv_response(
            "results.csv",
            open_data_header(),
            open_data_csv_rows(rows, request.build_absolute_uri),
        )

    return _serve_public(request, build)


# --- The leader's publish step -------------------------------------------------------------------
def _form_page(request, *, project, publication, form, status, preview=None, error=None):
    return render(
        request,
        "results/publication_preview.html" if preview else "results/publication_form.html",
        {
            "project": project,
            "publication": publication,
            "form": form,
            "preview": preview,
            "page_error": error,
            "unpublish_form": UnpublishForm(initial={"version": publication.version})
            if publication
            else None,
        },
        status=status,
    )


@login_required
def publication_edit(request, project_pk):
    """Write the public result, preview it, then publish (or keep it as a draft)."""
    user = request.user
    project = project_for_user_or_404(user, project_pk)
    require_or_404(publication_can_manage(access_for(user), project))
    publication = Publication.objects.filter(project=project).first()
    if request.method != "POST":
        initial = {"version": publication.version if publication else None}
        if publication is None:
            initial["title"] = project.title
        else:
            initial["indicators"] = list(publication.indicators.values_list("pk", flat=True))
        form = PublicationForm(instance=publication, project=project, initial=initial)
        return _form_page(request, project=project, publication=publication, form=form, status=200)

    action = request.POST.get("action")
    form = PublicationForm(request.POST, project=project)
    if not form.is_valid():
        return _form_page(request, project=project, publication=publication, form=form, status=400)
    if action == "preview":
        preview = selectors.preview_row(
            project, fields=form.publication_fields(), indicators=form.cleaned_data["indicators"]
        )
        hidden = PublicationForm(request.POST, project=project, hidden=True)
        return _form_page(
            request,
            project=project,
            publication=publication,
            form=hidden,
            status=200,
            preview=preview,
        )
    if action not in ("publish", "save"):
        # "Back to editing" from the preview: the form with what was typed.
        return _form_page(request, project=project, publication=publication, form=form, status=200)
    try:
        saved = publication_save(
            project=project,
            actor=user,
            expected_version=form.cleaned_data["version"],
            indicators=form.cleaned_data["indicators"],
            publish=action == "publish",
            **form.publication_fields(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        if form_has_error_code(form, "stale"):
            # The form keeps what was typed, with the version of the row as it is now.
            current = Publication.objects.get(project=project)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = PublicationForm(data, project=project)
            form.is_valid()
            form.add_error(None, error)
            return _form_page(request, project=project, publication=current, form=form, status=409)
        return _form_page(request, project=project, publication=publication, form=form, status=400)
    if saved.is_published:
        messages.success(request, _("The result is published."))
    else:
        messages.success(request, _("The result is saved; it is not public."))
    return redirect("results:publication_edit", project_pk=project.pk)


@login_required
@require_POST
def publication_unpublish_view(request, project_pk):
    user = request.user
    project = project_for_user_or_404(user, project_pk)
    require_or_404(publication_can_manage(access_for(user), project))
    publication = Publication.objects.filter(project=project).first()
    if publication is None:
        return redirect("results:publication_edit", project_pk=project.pk)
    unpublish = UnpublishForm(request.POST)
    unpublish.is_valid()
    try:
        publication_unpublish(
            publication=publication,
            actor=user,
            expected_version=unpublish.cleaned_data.get("version"),
        )
    except ValidationError as error:
        form = PublicationForm(
            instance=publication,
            project=project,
            initial={
                "version": publication.version,
                "indicators": list(publication.indicators.values_list("pk", flat=True)),
            },
        )
        return _form_page(
            request,
            project=project,
            publication=publication,
            form=form,
            status=409,
            error=" ".join(error.messages),
        )
    messages.success(request, _("The result is no longer public."))
    return redirect("results:publication_edit", project_pk=project.pk)
