"""The portfolio's part of a person's data export and erasure (see ``clinics.personal_data``)."""

from clinics.personal_data import history_rows, rows
from portfolio.models import (
    Challenge,
    Comment,
    DigestDelivery,
    DigestPreference,
    Idea,
    IdeaAttachment,
    IdeaQuestion,
    IdeaStatusChange,
    InnovationTime,
    Project,
    ProjectMember,
    Review,
    StageChange,
    StatusUpdate,
    Theme,
    ValueMeasurement,
)

IDEA_FIELDS = (
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
QUESTION_FIELDS = ("idea_id", "question", "answer", "created_at", "answered_at")


def portfolio_personal_data(user) -> dict:
    return {
        "ideas": rows(Idea.objects.filter(submitter=user).order_by("created_at"), *IDEA_FIELDS),
        "questions_on_my_ideas": rows(
            IdeaQuestion.objects.filter(idea__submitter=user).order_by("created_at"),
            *QUESTION_FIELDS,
        ),
        "questions_i_asked": rows(
            IdeaQuestion.objects.filter(asked_by=user).order_by("created_at"), *QUESTION_FIELDS
        ),
        "idea_attachments_uploaded": rows(
            IdeaAttachment.objects.filter(uploaded_by=user),
            "idea_id",
            "original_name",
            "content_type",
            "size",
            "created_at",
        ),
        "idea_status_changes_made": rows(
            IdeaStatusChange.objects.filter(changed_by=user),
            "idea_id",
            "from_status",
            "to_status",
            "note",
            "created_at",
        ),
        "reviews": rows(
            Review.objects.filter(reviewer=user),
            "idea_id",
            "idea__title",
            *Review.CRITERIA,
            "recommendation",
            "comment",
            "created_at",
        ),
        "comments_written": rows(
            Comment.objects.filter(author=user).order_by("created_at", "pk"),
            "idea_id",
            "project_id",
            "text",
            "created_at",
            "edited_at",
        ),
        "challenges_posted": rows(
            Challenge.objects.filter(posted_by=user), "id", "title", "description", "created_at"
        ),
        "projects_owned": rows(
            Project.objects.filter(owner=user).order_by("pk"), "id", "title", "stage", "started_on"
        ),
        "status_updates": rows(
            StatusUpdate.objects.filter(author=user).order_by("created_at"),
            "project_id",
            "project__title",
            "health",
            "text",
            "created_at",
        ),
        "stage_changes_decided": rows(
            StageChange.objects.filter(decided_by=user),
            "project_id",
            "from_stage",
            "to_stage",
            "note",
            "created_at",
        ),
        "value_measurements_recorded": rows(
            ValueMeasurement.objects.filter(recorded_by=user),
            "indicator__name",
            "value",
            "measured_on",
            "note",
        ),
        "innovation_time": rows(
            InnovationTime.objects.filter(person=user).order_by("week"),
            "project_id",
            "project__title",
            "week",
            "hours",
        ),
        "project_teams": rows(
            ProjectMember.objects.filter(user=user).order_by("pk"),
            "project_id",
            "project__title",
            "role",
            "accepted_at",
            "created_at",
        ),
        "digest_preference": rows(
            DigestPreference.objects.filter(leader=user),
            "frequency",
            "language",
            "send_when_empty",
            "updated_at",
        ),
        # When and where each digest went; not the messages themselves: they report the
        # portfolio's news (other people's work), not data about this person.
        "digests_sent_to_me": rows(
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
        "changes_i_made": history_rows(user, Project, Review, Theme),
    }


def portfolio_personal_data_erase(user, old_username: str) -> None:
    """Digest records lose the address and the stored message (it greets the person by name)
    but stay, so each period stays claimed and nothing is sent twice."""
    # A digest still waiting to go out has nowhere to go now.
    DigestDelivery.objects.filter(leader=user, status=DigestDelivery.Status.READY).update(
        status=DigestDelivery.Status.SKIPPED, next_attempt_at=None
    )
    # An SMTP error may quote the address, so the last error goes too.
    DigestDelivery.objects.filter(leader=user).update(
        recipient="", subject="", body_text="", body_html="", last_error=""
    )
