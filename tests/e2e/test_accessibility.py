"""WCAG 2.1 A/AA with axe-core, and the Content-Security-Policy, on every page of every role.

The demo data is seeded as `make run` seeds it, and each demo role of README's table (staff,
leader, partner, admin) logs in through the real form. Its pages come from the URL conf: every
page without arguments, and the pages of one object of each kind the role may see (an idea of
each status, a project of each stage); a page that is not the role's (403, 404, a redirect, a
download) is left out after a quick request. The superuser also walks the admin: the index,
each app's index, each registered model's change list, change form and add form, and one of each
other page type (history, delete confirmation, password change).

axe-core (tests/e2e/vendor/axe-core, MPL-2.0, never a CDN) runs on each page with the WCAG 2.1
A and AA rules; no violation of impact "serious" or "critical" may remain. Every console error,
page error and `securitypolicyviolation` event fails the test too.
"""

import contextlib
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from clinics.access import access_for
from clinics.models import Clinic, SupportContact, User
from demo.content import DEMO_PASSWORD
from partners.models import Agreement, Milestone, PartnerOrganisation
from partnership.models import Phase
from portfolio.models import Challenge, Comment, Idea, Project, Theme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DEMO_ROLES = ["staff", "leader", "partner", "admin", "regionadmin"]
ANONYMOUS_PAGES = ["/login/", "/password-reset/", "/password-reset/sent/", "/password-reset/done/"]
# Pages with a query string, which the URL conf cannot list: the search with results of every
# kind the role may find (its empty page, the hint, comes from the URL conf).
PAGES_WITH_QUERIES = ["/search/?q=triage", "/search/?q=triage&kind=project"]

# Pages that are no page to look at: they sign out, change the language, serve files or JSON.
SKIPPED_URL_NAMES = {
    "health",
    "logout",
    "set_language",
    "api:schema",
    "account:personal_data",
    "portfolio:export_csv",
    "portfolio:export_xlsx",
    "portfolio:export_innovation_time_csv",
    "portfolio:export_innovation_time_xlsx",
    "partners:milestone_export",
    "portfolio:similar_ideas",  # a fragment the idea form fetches into itself
    # The public results' feed and open data (files), and the unpublish button's POST.
    "results:feed",
    "results:open_data_csv",
    "results:open_data_json",
    "results:publication_unpublish",
    # Downloads (CSV, XLSX, a stored document) and POST-only actions of the newer pages.
    "partners:evidence_download",
    "partnership:state_aid_csv",
    "partnership:state_aid_xlsx",
    "partnership:contribution_document",
    "partnership:contribution_delete",
    "partnership:target_assess",
    "partnership:instalment_transition",
    # Signed-out pages: checked once, without a login.
    "login",
    "two_factor_verify",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
}
# Which demo object fills a URL's `pk` / `project_pk`: the first word of the URL's name found here.
MODEL_BY_WORD = {
    "idea": Idea,
    "review": Idea,
    "project": Project,
    "milestone": Milestone,
    "agreement": Agreement,
    "organisation": PartnerOrganisation,
    "challenge": Challenge,
    "clinic": Clinic,
    "clinics": Clinic,
    "comment": Comment,
    "phase": Phase,
    "gate": Phase,
}


# URLs whose `pk` is not the object their name begins with: the full name decides (a model,
# or a function of the person giving the objects they may see).
def _visible(model):
    return lambda user: model.objects.visible_to(user)


def _parties(user):
    from partners.models import AgreementParty
    from partnership.querysets import own_organisation_id

    parties = AgreementParty.objects.filter(agreement__in=Agreement.objects.visible_to(user))
    if user.is_partner and not user.is_superuser:
        parties = parties.filter(organisation=own_organisation_id(user))
    return parties


def _model_by_name():
    from evidence.models import Adoption
    from partnership.cosharing_models import SharingRule
    from partnership.models import InterimTarget

    return {
        "portfolio:benefit_list": Project,
        "portfolio:benefit_create": Project,
        "evidence:adoption_create": Project,
        "evidence:comparison": Project,
        "evidence:scale_decide": Project,
        "evidence:adoption_edit": _visible(Adoption),
        "evidence:measurement_create": _visible(Adoption),
        "cosharing:sharing_rule_create": Agreement,
        "cosharing:sharing_rule_edit": _visible(SharingRule),
        "partnership:target_edit": _visible(InterimTarget),
        "partnership:contribution_record": _parties,
        "partnership:contribution_edit": _visible_contributions,
    }


def _visible_contributions(user):
    from partnership.models_contributions import Contribution

    return Contribution.objects.visible_to(user)


# The pages shown for an object of each kind (an idea of each status, a project of each stage,
# where the boxes and stage gates differ); other pages of these objects, for the first one.
KIND_FIELD = {Idea: "status", Project: "stage"}
PAGES_OF_EACH_KIND = {"portfolio:idea_detail", "portfolio:review_idea", "portfolio:project_detail"}

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')
    + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""

RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      impact: n.impact,
      target: n.target.join(' '),
      html: n.html.slice(0, 160),
      summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200),
    })),
  }));
}
"""


def _url_patterns(patterns, prefix_names=()):
    """(full name, pattern) for every named page of the URL conf."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            names = (*prefix_names, entry.namespace) if entry.namespace else prefix_names
            if entry.namespace == "admin":
                continue  # the admin is walked model by model below
            yield from _url_patterns(entry.url_patterns, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join((*prefix_names, entry.name)), entry


def _model_for(name):
    for word in re.split(r"[:_]", name):
        if word in MODEL_BY_WORD:
            return MODEL_BY_WORD[word]
    return None


def _candidates(model, user):
    """Objects of a kind this person may see, one of each status or stage where that matters."""
    if not isinstance(model, type):
        return list(model(user).order_by("pk")[:3])
    objects = model.objects.all()
    if hasattr(objects, "visible_to"):
        objects = objects.visible_to(user)
    objects = objects.order_by("pk")
    if model is Comment:
        # Only its author opens a comment's edit page: their own newest comments.
        objects = objects.filter(author=user).order_by("-pk")
    field = KIND_FIELD.get(model)
    if field is None:
        return list(objects[:3])
    first_of_each = {}
    for obj in objects.only("pk", field).iterator():
        first_of_each.setdefault(getattr(obj, field), obj)
    return list(first_of_each.values())


def _site_urls(user):
    """Groups of candidate addresses of the site's pages for this person: of each group the first
    that is theirs, or (the flag) every one, for the pages of ideas and projects of each kind."""
    urls = []
    for name, pattern in _url_patterns(get_resolver().url_patterns):
        if name in SKIPPED_URL_NAMES or (name.startswith("api:") and name != "api:docs"):
            continue
        arguments = set(pattern.pattern.converters)
        if "region_pk" in arguments:
            urls.extend(_region_admin_urls(name, arguments, user))
            continue
        if not arguments:
            if not pattern.pattern.regex.groups:
                urls.append(([reverse(name)], False))
            continue
        if arguments not in ({"pk"}, {"project_pk"}):
            continue  # tokens, attachments, answers to questions: reached through other pages
        (argument,) = arguments
        model = (
            Project if argument == "project_pk" else _model_by_name().get(name) or _model_for(name)
        )
        if model is None:
            continue
        group = [reverse(name, kwargs={argument: obj.pk}) for obj in _candidates(model, user)]
        # The object's own page, once per status or stage; its forms once.
        of_each_kind = name in (
            "portfolio:idea_detail",
            "portfolio:review_idea",
            "portfolio:project_detail",
        )
        urls.append((group, of_each_kind))
    return urls


def _pages_of_project_parts(user):
    """Pages of an object inside a project or an agreement (two ids: the project's or the
    agreement's, and the part's): an indicator's edit and retire pages, a document's removal."""
    from partners.models import AgreementDocument
    from portfolio.models import ProjectDocument, ValueIndicator

    projects = Project.objects.visible_to(user)
    indicators = ValueIndicator.objects.filter(project__in=projects, retired_at__isnull=True)
    project_documents = ProjectDocument.objects.filter(project__in=projects)
    agreement_documents = AgreementDocument.objects.filter(
        agreement__in=Agreement.objects.visible_to(user)
    )
    from partnership.models_contributions import Contribution
    from portfolio.models_benefits import Benefit

    benefits = Benefit.objects.filter(project__in=projects)
    groups = [
        [
            reverse("partnership:contribution_plan", kwargs={"pk": party.pk, "kind": kind})
            for party in _parties(user).order_by("pk")[:3]
        ]
        for kind in Contribution.Kind.values
    ]
    # The public page of a published result (the leader's preview is a POST of the form).
    from results.models import Publication

    groups.append(
        [
            reverse("results:detail", kwargs={"slug": publication.slug})
            for publication in Publication.objects.published().order_by("pk")[:3]
        ]
    )
    for name, objects, owner in (
        ("portfolio:indicator_edit", indicators, "project_id"),
        ("portfolio:indicator_retire", indicators, "project_id"),
        ("portfolio:project_document_delete", project_documents, "project_id"),
        ("partners:agreement_document_delete", agreement_documents, "agreement_id"),
        ("portfolio:benefit_edit", benefits, "project_id"),
        ("portfolio:benefit_review", benefits, "project_id"),
    ):
        part = next(f"{word}_pk" for word in ("indicator", "benefit", "document") if word in name)
        groups.append(
            [
                reverse(name, kwargs={"pk": getattr(obj, owner), part: obj.pk})
                for obj in objects.order_by("pk")[:3]
            ]
        )
    return groups


# The region administration pages: a region's lists and forms, with one row of each kind.
REGION_ROWS = {
    "regionadmin:clinic_edit": Clinic,
    "regionadmin:support_contact_edit": SupportContact,
    "regionadmin:theme_edit": Theme,
    "regionadmin:partner_organisation_edit": PartnerOrganisation,
}


def _region_admin_urls(name, arguments, user):
    """The pages of the first region the person administers (none for everyone else); the
    POST-only actions are left out."""
    region_id = min(access_for(user).administered_region_ids, default=None)
    if region_id is None:
        return []
    if arguments == {"region_pk"}:
        return [([reverse(name, kwargs={"region_pk": region_id})], False)]
    model = REGION_ROWS.get(name)
    if model is None:
        return []
    row = model.objects.filter(region=region_id).order_by("pk").first()
    if row is None:
        return []
    return [([reverse(name, kwargs={"region_pk": region_id, "pk": row.pk})], False)]


def _admin_urls():
    """The admin: index, an app's index, each model's list and change form (the add form where
    there is nothing to change, and the user's), and one of each other page type."""
    urls = [reverse("admin:index"), reverse("admin:app_list", args=["django_celery_beat"])]
    for model in admin.site._registry:
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        urls.append(reverse(f"{base}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{base}_change", args=[obj.pk]))
        if obj is None or model is User:
            urls.append(reverse(f"{base}_add"))
    idea = Idea.objects.order_by("pk").first()
    urls += [
        reverse("admin:portfolio_idea_history", args=[idea.pk]),
        reverse("admin:portfolio_idea_delete", args=[idea.pk]),
        reverse("admin:password_change"),
    ]
    return [[url] for url in urls]


class PageChecker:
    """Opens pages in the browser and gathers axe-core violations and console problems."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console = []
        self.failures = {}
        self.checked = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(str(error)))

    def _console(self, message):
        # An address answered with an empty error (a 405 to a GET) shows Chromium's own error
        # page, which reports the status in the console: no page of ours.
        if message.type == "error" and not message.location.get("url", "").startswith(
            "chrome-error:"
        ):
            self.console.append(message.text)

    def check(self, path):
        """Check the page if it is one of this person's (200, no redirect); True if it was."""
        path = path.removeprefix(self.base_url)
        if path in self.checked:
            return True
        self.console.clear()
        if self.page.url == self.base_url + path:
            response = None  # the page the login landed on
        else:
            try:
                response = self.page.goto(self.base_url + path)
            except PlaywrightError:
                # Let Chromium settle on its error page before the next address is opened.
                with contextlib.suppress(PlaywrightError):
                    self.page.wait_for_url("chrome-error://**", timeout=5000)
                return False  # an error with an empty body: no page for Chromium to show
            if (
                response.status != 200
                or response.request.redirected_from
                or "text/html" not in response.headers.get("content-type", "")
            ):
                return False
        self.checked.append(path)
        self.page.wait_for_load_state("load")
        if path.endswith("/api/v1/docs/"):
            # Swagger UI draws itself after loading the schema: check it once it has.
            self.page.locator(".opblock").first.wait_for()
        # The page's own console and policy problems, taken before axe-core runs: axe's style
        # sheet preloading adds <style> elements of its own, which the policy rightly refuses.
        problems = [f"console: {text}" for text in self.console]
        problems += [f"CSP: {v}" for v in self.page.evaluate("window.__cspViolations || []")]
        self.page.evaluate(AXE_SOURCE)
        problems += [
            f"{v['impact']} {v['id']} ({v['help']}): {n['target']} {n['html']} -- {n['summary']}"
            for v in self.page.evaluate(RUN_AXE, AXE_TAGS)
            for n in v["nodes"]
            if (n["impact"] or v["impact"]) in BLOCKING_IMPACTS
        ]
        if problems:
            self.failures[path] = problems

        return True

    def check_first_page_of_each(self, url_groups, every=False):
        """Of each group of addresses, the first that is this person's page (or every one)."""
        for group in url_groups:
            for url in group:
                if self.check(url) and not every:
                    break


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not log in"


def _report(failures):
    return "\n".join(
        f"{path}:\n  " + "\n  ".join(problems) for path, problems in sorted(failures.items())
    )


def test_every_page_of_every_role_passes_axe_and_the_policy(browser, live_server):
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
    # Each demo person's newest comment as if just written: its edit page is open 15 minutes.
    for username in DEMO_ROLES:
        newest = Comment.objects.filter(author__username=username).order_by("-pk").first()
        if newest is not None:
            Comment.objects.filter(pk=newest.pk).update(created_at=timezone.now())
    failures, checked = {}, {}

    context = browser.new_context()
    checker = PageChecker(context.new_page(), live_server.url)
    for path in ANONYMOUS_PAGES:
        checker.check(path)
    failures["anonymous"], checked["anonymous"] = checker.failures, checker.checked
    context.close()

    for username in DEMO_ROLES:
        user = User.objects.get(username=username)
        context = browser.new_context()
        checker = PageChecker(context.new_page(), live_server.url)
        _log_in(checker.page, live_server.url, username)
        checker.check(checker.page.url)  # the start page the login lands on
        # Ideas and projects of each status and stage for the roles that work with them; the
        # partner's and superuser's pages are the same templates, so one of a kind is enough.
        every_kind = username in ("staff", "leader")
        for group, of_each_kind in _site_urls(user):
            checker.check_first_page_of_each([group], every=of_each_kind and every_kind)
        for path in PAGES_WITH_QUERIES:
            checker.check(path)
        checker.check_first_page_of_each(_pages_of_project_parts(user))
        if user.is_superuser:
            checker.check_first_page_of_each(_admin_urls())
        failures[username], checked[username] = checker.failures, checker.checked
        context.close()

    assert all(checked.values()), checked
    found = {f"{role} {path}": p for role, f in failures.items() for path, p in f.items()}
    total = sum(len(pages) for pages in checked.values())
    assert not found, f"{len(found)} of {total} pages fail:\n{_report(found)}"
