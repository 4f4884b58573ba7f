from celery import shared_task


# No retries: Django's reset form logs a failed send rather than raising, and the person can
# simply ask again.
@shared_task
def password_reset_email_task(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """The password-reset mail, queued by every reset request whether or not an account has the
    address (the address is all it gets; it is looked up here, not in the request)."""
    from .services import password_reset_email_send

    password_reset_email_send(email=email, domain=domain, use_https=use_https, language=language)
