"""The password-reset mail, through the outbox, with the same answer for every address.

The reset page never looks the address up: Django's form finds the accounts and sends the mail
inside the request, only when an account has the address, so the answer comes measurably later
for known addresses. Here every request does the same work, whatever the address: it writes one
``PasswordResetRequest`` row (``password_reset_request``) and queues the sender after the
commit, which may fail without harm. The sender (``password_reset_requests_render``, run by
``outbox_send_task`` and the every-minute sweep) looks the address up and writes the mail, in
the language of the page it was asked from, into the outbox — or nothing, for an unknown
address — and deletes the request, in one transaction.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils import translation

from core.models import OutboxEmail, PasswordResetRequest
from core.outbox import outbox_email_add, outbox_sender_queue_on_commit


@transaction.atomic
def password_reset_request(
    *, email: str, domain: str, use_https: bool, language: str
) -> PasswordResetRequest:
    """Keep one reset request (one insert, whatever the address) and queue the sender."""
    request = PasswordResetRequest(
        email=email, domain=domain, use_https=use_https, language=language
    )
    request.full_clean()
    request.save()
    outbox_sender_queue_on_commit()
    return request


class _OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form (its account lookup, token and templates), writing into the outbox
    instead of sending."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # As Django's own send_mail renders it.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = ""
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
        outbox_email_add(
            kind=OutboxEmail.Kind.PASSWORD_RESET,
            user=context["user"],
            recipient=to_email,
            subject=subject,
            body_text=body,
            body_html=html,
            language=translation.get_language() or "",
            queue_sender=False,  # this runs in the sender, which sends right after
        )


def _render_one(pk: int) -> bool:
    with transaction.atomic():
        request = PasswordResetRequest.objects.select_for_update(skip_locked=True).filter(pk=pk)
        request = request.first()
        if request is None:  # another sender has it
            return False
        form = _OutboxPasswordResetForm({"email": request.email})
        if form.is_valid():
            with translation.override(request.language):
                # The default templates: registration/password_reset_{subject.txt,email.html}.
                form.save(domain_override=request.domain, use_https=request.use_https)
        request.delete()
        return True


def password_reset_requests_render() -> int:
    """Turn every waiting reset request into its mail (none for an unknown address). Each
    request is claimed under a lock and deleted in the transaction that writes its mail, so a
    request yields its mail exactly once."""
    pks = list(PasswordResetRequest.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    return sum(_render_one(pk) for pk in pks)
