from celery import shared_task


# The previous release queued this after each invitation; messages still waiting in the broker
# at the upgrade are turned into outbox mail here, so none is lost. Nothing queues it any more.
@shared_task(name="partners.tasks.send_partner_invitation_task")
def send_partner_invitation_task(user_id: int, inviter_id: int) -> None:
    from django.db import transaction

    from clinics.models import User
    from partners.services.invitations import partner_invitation_email_add

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return
    with transaction.atomic():
        partner_invitation_email_add(user=user, actor=User.objects.filter(pk=inviter_id).first())
