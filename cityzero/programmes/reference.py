"""The 2021–22 call for the 100 Climate-Neutral and Smart Cities, as a closed call (DOMAIN §1).

The call ran outside the platform: 377 cities applied, 362 were eligible, 112 were selected on
28 April 2022. The platform does not invent the 265 cities that were not selected: it states the
published figures on the call and makes the cohort of its selected cities from the cities table,
whose Mission Cities come from ``shared/data/mission_cities.csv`` (``load_reference_data``).
Safe to run again: what exists is kept.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from cityzero.cities.models import MISSION_CITY_STATUSES, City
from cityzero.core.cache import bump_public_data_version
from cityzero.programmes.models import Call, Cohort, CohortMember, ProgrammeKind
from cityzero.programmes.services import save_call

COHORT_SLUG = "mission-cities-2022"
CALL_SLUG = "mission-call-2021"
SELECTED_ON = date(2022, 4, 28)
SOURCE = "European Commission, announcement of the 112 Mission Cities, 28 April 2022"
MEMBERS_SOURCE = "The 112 Mission Cities (shared/data/mission_cities.csv)"
DESCRIPTION = """The European Commission's call for expressions of interest for the EU Mission
for 100 Climate-Neutral and Smart Cities by 2030 ran from 25 November 2021 to 31 January 2022.

- **377** cities applied; **362** of them were eligible.
- On 28 April 2022 the Commission selected **112** cities: 100 from the 27 EU member states and
  12 from countries associated to Horizon Europe. Together they are in 35 countries and hold
  about 12% of the EU's population.

The applications were made before this platform existed, so it holds the cities selected, not
the applications: the figures above are the published ones."""


@dataclass(frozen=True)
class Loaded:
    created: bool
    members_added: int


@transaction.atomic
def load_mission_call() -> Loaded:
    cohort, _created = Cohort.objects.get_or_create(
        slug=COHORT_SLUG,
        defaults={
            "name": "Mission Cities 2022",
            "kind": ProgrammeKind.MISSION,
            "capacity": 112,
            "description": "The cities selected by the 2021–22 call of the EU Cities Mission.",
        },
    )
    created = not Call.objects.filter(slug=CALL_SLUG).exists()
    if created:
        save_call(
            Call(
                cohort=cohort,
                slug=CALL_SLUG,
                title="100 Climate-Neutral and Smart Cities by 2030: call for expressions of "
                "interest",
                summary="The call that chose the Mission Cities: 377 applicants, 112 selected.",
                description_md=DESCRIPTION,
                opens_on=date(2021, 11, 25),
                closes_on=date(2022, 1, 31),
                published=True,
                reported_applicants=377,
                reported_eligible=362,
                reported_selected=112,
                reported_source=SOURCE,
                results_published_at=timezone.make_aware(datetime.combine(SELECTED_ON, time(12))),
            )
        )
    present = set(cohort.members.values_list("city_id", flat=True))
    added = CohortMember.objects.bulk_create(
        CohortMember(cohort=cohort, city=city, joined_on=SELECTED_ON, source=MEMBERS_SOURCE)
        for city in City.objects.filter(mission_status__in=MISSION_CITY_STATUSES)
        if city.pk not in present
    )
    transaction.on_commit(bump_public_data_version)  # bulk rows send no signal
    return Loaded(created, len(added))
