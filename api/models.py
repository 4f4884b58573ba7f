"""A person's REST API token, stored as a digest only.

Why not django-rest-knox, which also stores digests with an expiry: its model has no place for
what this project must know of a token (was it made after the second factor? — a token made
without one stops working once the person's role requires two-factor login), it is built for
many tokens per login session with its own login/logout endpoints, and it would need a swapped
custom model and a subclassed authentication anyway. What is left is this one small model,
``ApiTokenAuthentication`` and two services, with no new dependency.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def api_token_digest(key: str) -> str:
    """SHA-256 of the key. The key is 256 random bits, so a fast hash is enough: no one can
    guess it back from the digest, and a slow one would cost every API request."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_new_key() -> str:
    """43 URL-safe characters (32 random bytes)."""
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """One person's REST API token. The key itself is never stored: only its first characters
    (to find it, and to tell tokens apart on the pages) and its SHA-256 digest."""

    PREFIX_LENGTH = 8

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_token",
        verbose_name=_("person"),
    )
    key_prefix = models.CharField(_("beginning of the key"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_with_second_factor = models.BooleanField(
        _("created with a second factor"),
        default=False,
        help_text=_(
            "Made in a session verified with two-factor login. Tokens made without it stop "
            "working when the person's role requires two-factor login."
        ),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [
            # Every API request finds its token by the key's first characters.
            models.Index(fields=["key_prefix"], name="api_token_key_prefix_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.key_prefix}… ({self.user})"

    def key_matches(self, key: str) -> bool:
        return secrets.compare_digest(self.digest, api_token_digest(key))

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
