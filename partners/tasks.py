from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from clinics.models import User

from .tokens import invitation_token_generator


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_partner_invitation_task(user_id: int, inviter_id: int) -> None:
    """E-mail an invited partner user the link to set their password.

    The token is made here, when the e-mail goes out, so its time limit counts from then.
    """
    user = (
        User.objects.filter(pk=user_id, is_active=True)
        .select_related("partner_membership__organisation")
        .first()
    )
    inviter = User.objects.filter(pk=inviter_id).first()
    if user is None or not user.email or user.has_usable_password():
        return
    path = reverse(
        "partners:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    days = max(settings.PARTNER_INVITATION_TIMEOUT // 86400, 1)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = _(
            "%(inviter)s has invited you to Partnerskap as a user for %(organisation)s.\n\n"
            "Set your password here (the link works once, for %(days)s days):\n%(link)s\n\n"
            "Your user name is %(username)s."
        ) % {
            "inviter": inviter or "Partnerskap",
            "organisation": user.partner_membership.organisation,
            "days": days,
            "link": f"{settings.SITE_URL.rstrip('/')}{path}",
            "username": user.username,
        }
        send_mail(
            subject=_("Partnerskap: you are invited"),
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )
