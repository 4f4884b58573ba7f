"""One-time links that let an invited partner user set their first password.

Django's password-reset tokens, with their own salt and time limit: the token hashes the
password, so it stops working the moment the password is set (single use), and it expires after
``PARTNER_INVITATION_TIMEOUT`` seconds.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class PartnerInvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "partners.tokens.PartnerInvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= settings.PARTNER_INVITATION_TIMEOUT


invitation_token_generator = PartnerInvitationTokenGenerator()
