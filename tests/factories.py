import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from cityzero.accounts.models import AdvisorAssignment, CityMembership, CityRole, PlatformRole, User
from cityzero.cities.models import City, Country, LabelRound, MissionStatus
from cityzero.cities.services import SectionInput, update_section


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "DE"
    numeric_code = "276"
    name = "Germany"
    eu_member = True


class LabelRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabelRound
        django_get_or_create = ("code",)

    code = "2024-03"
    name = "Mission Label round, March 2024"
    awarded_on = factory.Faker("date_object")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.LazyAttribute(lambda city: slugify(city.name))
    country = factory.SubFactory(CountryFactory)
    mission_status = MissionStatus.SELECTED
    population = 250_000
    population_source = "Test data"
    latitude = 50.77
    longitude = 6.08


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    platform_role = PlatformRole.NONE
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityMembership

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(CityFactory)
    role = CityRole.EDITOR


class AdvisorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorAssignment

    advisor = factory.SubFactory(UserFactory, platform_role=PlatformRole.ADVISOR)
    city = factory.SubFactory(CityFactory)


def stakeholder(name: str = "Utility", **overrides) -> dict:
    """One stakeholder row as the dossier form would submit it."""
    row = {"name": name, "type": "utility", "level": "local", "role": "", "influence": "high"}
    return {**row, "interest": "low", **overrides}


def save_section(
    city, kind, visibility="public", text="", *, rows=(), version=0, by=None, **fields
):
    """Save a dossier section through the service, as an editor would."""
    data = SectionInput(visibility, text, rows=list(rows), **fields)
    return update_section(city, kind, data=data, base_version=version, by=by or UserFactory())
