from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from clinics.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=5)
def send_notification_email_task(recipient_id: int, text: str, url: str = "") -> None:
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None or not recipient.email:
        return
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
        body = f"{text}\n\n{link}\n\n" + _(
            "You get this e-mail because notifications by e-mail are on in Partnerskap."
        )
        # One line: a line break in a header is refused (BadHeaderError), and a title or
        # a project name in the text may hold one from before titles were checked.
        subject = " ".join(f"Partnerskap: {text}".split())[:130]
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[recipient.email],
        )
