"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).

Each test gets Django's ``live_server`` and pytest-playwright's ``page``. If /usr/bin/chromium is
missing the launch fails with a clear error: `make test` installs it first (bin/ensure-system-deps).
"""

import pytest

from tests.clinics.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # The machine has no network beyond localhost: keep Chromium from calling home.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def log_in(page, live_server):
    """Log a person in through the real login form; returns the page on their start page."""

    def _log_in(user, password=TEST_PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return _log_in
