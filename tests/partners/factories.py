from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinics.models import User
from partners.models import (
    Agreement,
    AgreementParty,
    Milestone,
    PartnerMembership,
    PartnerOrganisation,
)
from tests.clinics.factories import UserFactory
from tests.portfolio.factories import ProjectFactory


class PartnerOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner {n} AB")
    kind = PartnerOrganisation.Kind.COMPANY


class PartnerUserFactory(UserFactory):
    """A user who belongs to a partner organisation (``organisation=`` to choose which)."""

    role = User.Role.PARTNER

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if not create:
            return
        PartnerMembership.objects.create(
            user=self, organisation=extracted or PartnerOrganisationFactory()
        )


class AgreementFactory(DjangoModelFactory):
    """A draft agreement; use ``agreement_with_parties`` for one with valid shares."""

    class Meta:
        model = Agreement

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Partnership agreement {n}")
    created_by = factory.SelfAttribute("project.owner")
    status = Agreement.Status.DRAFT
    # A term, as a proposal needs one (agreement_proposal_validate).
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(
        lambda: timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 2)
    )


class AgreementPartyFactory(DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    risk_share = Decimal("50")
    value_share = Decimal("50")
    # Something from every party, as a proposal needs it.
    contribution_hours = Decimal("40")


def agreement_with_parties(*organisations, status=Agreement.Status.PROPOSED, **kwargs):
    """An agreement between the region and ``organisations`` with equal shares that sum to 100.

    Parties are written while the agreement is a draft, then its status is set: the database
    refuses a non-draft agreement whose shares do not sum to 100.
    """
    agreement = AgreementFactory(**kwargs)
    parties = [None, *organisations]
    share = (Decimal(100) / len(parties)).quantize(Decimal("0.01"))
    for index, organisation in enumerate(parties):
        last = index == len(parties) - 1
        this_share = Decimal(100) - share * (len(parties) - 1) if last else share
        AgreementPartyFactory(
            agreement=agreement,
            organisation=organisation,
            risk_share=this_share,
            value_share=this_share,
        )
    if status != Agreement.Status.DRAFT:
        agreement.status = status
        if status not in (Agreement.Status.DRAFT, Agreement.Status.PROPOSED):
            agreement.signed_at = timezone.now()
        agreement.save()
    return agreement


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    responsible_party = factory.SubFactory(PartnerOrganisationFactory)
    responsible_leader = factory.SelfAttribute("project.owner")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))
