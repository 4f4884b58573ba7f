"""Settings read from the environment: the embedded e-mail default writes to an absolute folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def test_default_mail_folder_is_absolute():
    if os.environ.get("EMAIL_URL"):
        pytest.skip("EMAIL_URL is set in this environment")
    assert Path(settings.EMAIL_FILE_PATH).is_absolute()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("filemail:///srv/partnerskap/mail", "/srv/partnerskap/mail"),
        ("filemail://var/mail", "var/mail"),
    ],
)
def test_filemail_url_keeps_the_folder_as_written(url, expected):
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.EMAIL_FILE_PATH)"
    )
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-c", code],
        env={**os.environ, "EMAIL_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == expected


def _setting_in_subprocess(expression: str, **env) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(  # noqa: S603 -- fixed arguments
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_cache_is_per_process_memory_unless_cache_url_says_otherwise():
    backend = "settings.CACHES['default']['BACKEND']"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CACHE_URL", raising=False)
        assert _setting_in_subprocess(backend) == ("django.core.cache.backends.locmem.LocMemCache")
    shared = _setting_in_subprocess(
        "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']",
        CACHE_URL="redis://redis.internal:6379/1",
    )
    # Django's RedisCache, made optional at run time (config/cache.py).
    assert shared == "config.cache.ResilientRedisCache redis://redis.internal:6379/1"
