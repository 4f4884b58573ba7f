import factory
from factory.django import DjangoModelFactory

from clinics.models import Clinic, LeaderScope, Region, SupportContact, User

TEST_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    language = "sv"


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    kind = Clinic.Kind.HEALTH_CENTRE
    innovation_clinic_since = factory.Faker("date_between", start_date="-5y", end_date="today")


class SupportContactFactory(DjangoModelFactory):
    class Meta:
        model = SupportContact

    clinic = factory.SubFactory(ClinicFactory)
    region = factory.SelfAttribute("clinic.region")
    area = SupportContact.Area.TECHNICAL
    name = factory.Faker("name")
    email = factory.Faker("email")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.STAFF
    password = factory.django.Password(TEST_PASSWORD)


class StaffFactory(UserFactory):
    role = User.Role.STAFF
    clinic = factory.SubFactory(ClinicFactory)
    region = factory.SelfAttribute("clinic.region")


class LeaderFactory(UserFactory):
    """A leader of a whole region (pass ``clinics=[...]`` to limit them to some clinics)."""

    role = User.Role.LEADER
    region = factory.SubFactory(RegionFactory)

    @factory.post_generation
    def clinics(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            for clinic in extracted:
                LeaderScope.objects.create(leader=self, region=clinic.region, clinic=clinic)
        else:
            LeaderScope.objects.create(leader=self, region=self.region)


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    is_staff = True
    is_superuser = True
