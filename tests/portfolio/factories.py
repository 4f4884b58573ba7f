from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portfolio.models import (
    Challenge,
    Idea,
    Project,
    Review,
    StatusUpdate,
    Theme,
    ValueIndicator,
)
from tests.clinics.factories import ClinicFactory, LeaderFactory, StaffFactory


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class ChallengeFactory(DjangoModelFactory):
    class Meta:
        model = Challenge

    clinic = factory.SubFactory(ClinicFactory)
    region = factory.SelfAttribute("clinic.region")
    title = factory.Sequence(lambda n: f"Challenge {n}")
    description = "How can we shorten the wait in the emergency department?"
    posted_by = factory.SubFactory(LeaderFactory, region=factory.SelfAttribute("..region"))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))


class IdeaFactory(DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea {n}")
    problem = "Patients wait too long for their results."
    submitter = factory.SubFactory(StaffFactory)
    clinic = factory.SelfAttribute("submitter.clinic")
    status = Idea.Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=Idea.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )


class ReviewFactory(DjangoModelFactory):
    class Meta:
        model = Review

    idea = factory.SubFactory(IdeaFactory, submitted=True)
    reviewer = factory.SubFactory(
        LeaderFactory, region=factory.SelfAttribute("..idea.clinic.region")
    )
    score_patient_value = 4
    score_staff_value = 3
    score_economic_value = 3
    score_feasibility = 4
    score_strategic_fit = 5


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "A joint project."
    lead_clinic = factory.SubFactory(ClinicFactory)
    owner = factory.SubFactory(LeaderFactory, region=factory.SelfAttribute("..lead_clinic.region"))
    stage = Project.Stage.CONCEPT
    health = Project.Health.ON_TRACK


class StatusUpdateFactory(DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    project = factory.SubFactory(ProjectFactory)
    author = factory.SelfAttribute("project.owner")
    health = Project.Health.ON_TRACK
    text = "Work goes to plan."


class ValueIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = ValueIndicator

    project = factory.SubFactory(ProjectFactory)
    dimension = ValueIndicator.Dimension.CARE_PATHWAY
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "days"
    # The direction the target lies in (tests give numbers, decimals or text).
    baseline = 10
    target = 5
    direction = factory.LazyAttribute(
        lambda indicator: (
            ValueIndicator.Direction.LOWER
            if Decimal(str(indicator.target)) < Decimal(str(indicator.baseline))
            else ValueIndicator.Direction.HIGHER
        )
    )
