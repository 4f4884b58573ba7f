"""The public pages' cache for anonymous visitors, and the version that empties it.

Each cached page is stored under the current *version* of the published results; publishing,
unpublishing or editing a published result moves the version, so every page cached before is
never read again (and expires). A page also expires after ``RESULTS_CACHE_SECONDS``, so what
the page shows from the project (its stage, the indicators' latest values) follows within
minutes without every service of the portfolio knowing about this cache.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "results:version"


def results_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def results_changed() -> None:
    """Call in the transaction that changes what the public sees: now (so this request and
    tests read the change) and again after the commit (a visitor who read the old rows
    between the two cached them under the first new version)."""
    _bump()
    transaction.on_commit(_bump)


def page_key(*parts: str) -> str:
    return ":".join(("results:page", results_version(), *parts))


def cache_seconds() -> int:
    return settings.RESULTS_CACHE_SECONDS
