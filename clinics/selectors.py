"""Reads of the clinics app, scoped to the person asking."""

from django.db.models import Q, QuerySet

from .models import Clinic, LeaderScope, Region, SupportContact, User


def clinics_led_by(user: User) -> QuerySet[Clinic]:
    """The clinics an innovation leader supports: whole regions and single clinics alike."""
    if not user.is_authenticated or not user.is_leader:
        return Clinic.objects.none()
    # Two uncorrelated subqueries, no join and no DISTINCT: every visible_to() of a leader
    # nests this set, and PostgreSQL plans it as two small hashed lookups.
    scopes = LeaderScope.objects.filter(leader=user)
    return Clinic.objects.filter(
        Q(region__in=scopes.filter(clinic__isnull=True).values("region"))
        | Q(pk__in=scopes.filter(clinic__isnull=False).values("clinic"))
    )


def clinics_visible_to(user: User) -> QuerySet[Clinic]:
    """Clinics whose pages a person may open."""
    if not user.is_authenticated:
        return Clinic.objects.none()
    if user.is_superuser:
        return Clinic.objects.all()
    if user.is_leader:
        return clinics_led_by(user)
    if user.is_clinic_staff and user.clinic_id:
        return Clinic.objects.filter(pk=user.clinic_id)
    return Clinic.objects.none()


def regions_led_by(user: User) -> QuerySet[Region]:
    return Region.objects.filter(clinics__in=clinics_led_by(user)).distinct()


def leaders_of_clinic(clinic: Clinic) -> QuerySet[User]:
    """Leaders who support a clinic, clinic-specific ones first."""
    return (
        User.objects.filter(is_active=True, role=User.Role.LEADER)
        .filter(
            Q(leader_scopes__clinic=clinic)
            | Q(leader_scopes__region=clinic.region_id, leader_scopes__clinic__isnull=True)
        )
        .distinct()
        .order_by("username")
    )


def support_contacts_for_clinic(clinic: Clinic) -> QuerySet[SupportContact]:
    """The clinic's own helpers and the region-wide ones, grouped by area."""
    return SupportContact.objects.filter(
        Q(clinic=clinic) | Q(region=clinic.region_id, clinic__isnull=True)
    ).order_by("area", "clinic", "name")


def _rows(queryset, *fields):
    return [dict(row) for row in queryset.values(*fields)]


def personal_data_for(*, user: User) -> dict:
    """Everything Partnerskap holds about one person, for them to download (read-only).

    One query per kind of record, whatever the amounts, and only rows that name the person:
    their profile and remit, what they wrote or did, what was sent to them. Secrets (password
    hash, two-factor keys, recovery codes) are left out; that they exist is said.
    """
    # Imported here: the portfolio and partners apps import this app's models.
    from axes.models import AccessLog
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from api.models import ApiToken
    from partners.models import (
        Agreement,
        AgreementParty,
        Milestone,
        MilestoneUpdate,
        PartnerMembership,
    )
    from portfolio.models import (
        Challenge,
        DigestDelivery,
        DigestPreference,
        Idea,
        IdeaAttachment,
        IdeaQuestion,
        IdeaStatusChange,
        InnovationTime,
        Notification,
        Project,
        Review,
        StageChange,
        StatusUpdate,
        ValueMeasurement,
    )

    profile = (
        User.objects.filter(pk=user.pk)
        .values(
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "clinic__name",
            "region__name",
            "preferred_language",
            "notify_in_app",
            "notify_by_email",
            "is_active",
            "date_joined",
            "last_login",
        )
        .get()
    )
    idea_fields = (
        "id",
        "title",
        "problem",
        "proposal",
        "benefit_patients",
        "benefit_staff",
        "benefit_economy",
        "clinic__name",
        "status",
        "created_at",
        "submitted_at",
        "decided_at",
        "decline_reason",
    )
    return {
        "profile": profile,
        "leader_scopes": _rows(
            LeaderScope.objects.filter(leader=user), "region__name", "clinic__name", "created_at"
        ),
        "partner_membership": _rows(
            PartnerMembership.objects.filter(user=user), "organisation__name", "created_at"
        ),
        "ideas": _rows(Idea.objects.filter(submitter=user).order_by("created_at"), *idea_fields),
        "questions_on_my_ideas": _rows(
            IdeaQuestion.objects.filter(idea__submitter=user).order_by("created_at"),
            "idea_id",
            "question",
            "answer",
            "created_at",
            "answered_at",
        ),
        "questions_i_asked": _rows(
            IdeaQuestion.objects.filter(asked_by=user).order_by("created_at"),
            "idea_id",
            "question",
            "answer",
            "created_at",
            "answered_at",
        ),
        "idea_attachments_uploaded": _rows(
            IdeaAttachment.objects.filter(uploaded_by=user),
            "idea_id",
            "original_name",
            "content_type",
            "size",
            "created_at",
        ),
        "idea_status_changes_made": _rows(
            IdeaStatusChange.objects.filter(changed_by=user),
            "idea_id",
            "from_status",
            "to_status",
            "note",
            "created_at",
        ),
        "reviews": _rows(
            Review.objects.filter(reviewer=user),
            "idea_id",
            "idea__title",
            *Review.CRITERIA,
            "recommendation",
            "comment",
            "created_at",
        ),
        "challenges_posted": _rows(
            Challenge.objects.filter(posted_by=user), "id", "title", "description", "created_at"
        ),
        "projects_owned": _rows(
            Project.objects.filter(owner=user).order_by("pk"), "id", "title", "stage", "started_on"
        ),
        "agreements_created": _rows(
            Agreement.objects.filter(created_by=user).order_by("pk"),
            "id",
            "title",
            "version",
            "status",
            "created_at",
        ),
        "status_updates": _rows(
            StatusUpdate.objects.filter(author=user).order_by("created_at"),
            "project_id",
            "project__title",
            "health",
            "text",
            "created_at",
        ),
        "stage_changes_decided": _rows(
            StageChange.objects.filter(decided_by=user),
            "project_id",
            "from_stage",
            "to_stage",
            "note",
            "created_at",
        ),
        "value_measurements_recorded": _rows(
            ValueMeasurement.objects.filter(recorded_by=user),
            "indicator__name",
            "value",
            "measured_on",
            "note",
        ),
        "milestone_updates": _rows(
            MilestoneUpdate.objects.filter(author=user).order_by("created_at"),
            "milestone_id",
            "milestone__title",
            "kind",
            "changes",
            "comment",
            "evidence_name",
            "created_at",
        ),
        "agreement_parties_confirmed": _rows(
            AgreementParty.objects.filter(confirmed_by=user),
            "agreement__title",
            "agreement__version",
            "confirmed_at",
        ),
        "innovation_time": _rows(
            InnovationTime.objects.filter(person=user).order_by("week"),
            "project_id",
            "project__title",
            "week",
            "hours",
        ),
        "notifications": _rows(
            Notification.objects.filter(recipient=user).order_by("created_at"),
            "message",
            "url",
            "created_at",
            "read_at",
        ),
        "digest_preference": _rows(
            DigestPreference.objects.filter(leader=user),
            "frequency",
            "language",
            "send_when_empty",
            "updated_at",
        ),
        # When and where each digest went; not the messages themselves: they report the
        # portfolio's news (other people's work), not data about this person.
        "digests_sent_to_me": _rows(
            DigestDelivery.objects.filter(leader=user).order_by("period_end"),
            "period_start",
            "period_end",
            "status",
            "recipient",
            "language",
            "subject",
            "item_count",
            "sent_at",
        ),
        # The audit trail's records of changes this person made: what, which one, when.
        "changes_i_made": [
            {"object": model._meta.model_name, **row}
            for model in (Project, Review, Agreement, AgreementParty, Milestone)
            for row in _rows(
                model.history.filter(history_user=user).order_by("history_date"),
                "id",
                "history_type",
                "history_date",
            )
        ],
        # That a REST API token exists and since when; never the token itself.
        "api_token": _rows(
            ApiToken.objects.filter(user=user), "created_at", "expires_at", "last_used_at"
        ),
        "two_factor": {
            "authenticator_apps": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
            "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
        },
        "logins": _rows(
            AccessLog.objects.filter(username=user.username).order_by("attempt_time"),
            "attempt_time",
            "logout_time",
            "ip_address",
            "user_agent",
        ),
    }
