"""No page breaks its own Content-Security-Policy: Chromium reports every violation.

Each role's main page is loaded after a real login; console errors and
`securitypolicyviolation` events are collected and must stay empty. When pages of more roles
land, add them to PAGES_BY_ROLE.
"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Pages to check for each role, after the start page the login lands on.
# The REST API's pages: the token page under My account and the Swagger UI docs page.
API_PAGES = ["/account/api-token/", "/api/v1/docs/"]
PAGES_BY_ROLE = {
    "staff_user": [
        "/clinics/help/",
        "/portfolio/ideas/new/",
        "/portfolio/challenges/open/",
        "/portfolio/notifications/",
        "/account/",
        *API_PAGES,
    ],
    "leader": [
        "/portfolio/review/",
        "/portfolio/leader/challenges/new/",
        "/partners/organisations/",
        "/partners/invitations/new/",
        "/account/",
        *API_PAGES,
    ],
    "partner_user": ["/portfolio/notifications/", "/account/", *API_PAGES],
    "admin_user": ["/admin/", "/admin/clinics/user/", "/account/", *API_PAGES],
}
ANONYMOUS_PAGES = ["/login/", "/password-reset/"]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture
def problems(page):
    """Every console error, page error and CSP violation the page raises."""
    found = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))

    def check(url):
        found.extend(page.evaluate("window.__cspViolations || []"))
        return [f"{url}: {p}" for p in found]

    return check


def _visit(page, url, problems):
    page.goto(url)
    page.wait_for_load_state("load")
    if url.endswith("/api/v1/docs/"):
        # Swagger UI draws itself after loading the schema: check the policy once it has.
        expect(page.locator(".opblock").first).to_be_visible()
    assert problems(url) == []


def test_anonymous_pages_satisfy_the_policy(page, live_server, problems):
    for path in ANONYMOUS_PAGES:
        _visit(page, live_server.url + path, problems)


@pytest.mark.parametrize("role", list(PAGES_BY_ROLE))
def test_each_roles_pages_satisfy_the_policy(page, live_server, log_in, problems, role, request):
    user = request.getfixturevalue(role)
    user.preferred_language = "en"
    user.save()

    log_in(user)
    expect(page).not_to_have_url(f"{live_server.url}/login/")
    assert problems(page.url) == []
    for path in PAGES_BY_ROLE[role]:
        _visit(page, live_server.url + path, problems)


def test_project_pages_with_their_scripts_satisfy_the_policy(
    page, live_server, log_in, problems, leader, project, agreement
):
    leader.preferred_language = "en"
    leader.save()

    log_in(leader)
    for path in (
        f"/portfolio/projects/{project.pk}/",
        f"/partners/projects/{project.pk}/",
        f"/partners/projects/{project.pk}/agreements/new/",
        f"/partners/agreements/{agreement.pk}/",
    ):
        _visit(page, live_server.url + path, problems)
