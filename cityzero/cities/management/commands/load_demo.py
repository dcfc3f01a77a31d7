"""Demo users per role, illustrative dossiers and inventories for a few cities. Safe to run again."""

import os
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cityzero.accounts.models import AdvisorAssignment, CityMembership, CityRole, PlatformRole, User
from cityzero.cities.demo import load_demo_needs
from cityzero.cities.models import City, DossierSection, SectionKind, Visibility
from cityzero.cities.services import SectionInput, update_section
from cityzero.community.demo import load_demo_community
from cityzero.contracts.demo import load_demo_contract
from cityzero.finance.demo import load_demo_funding
from cityzero.inventories import services as inventory_services
from cityzero.inventories.models import Inventory
from cityzero.knowledge.demo import load_demo_knowledge
from cityzero.monitoring.demo import load_demo_monitoring
from cityzero.programmes.demo import load_demo_programmes
from cityzero.reviews.demo import load_demo_review
from cityzero.support.demo import load_demo_request
from cityzero.transition.demo import load_demo_transition

DEMO_CITY = "aachen"
ADVISED_CITY = "valencia"

DEMO_USERS = [
    # email, name, platform role, (city slug, city role) or None
    ("staff@demo.cityzero.eu", "Sam Staff", PlatformRole.STAFF, None),
    ("advisor@demo.cityzero.eu", "Ada Advisor", PlatformRole.ADVISOR, None),
    ("aachen-advisor@demo.cityzero.eu", "Alma Advisor", PlatformRole.ADVISOR, None),
    ("reviewer@demo.cityzero.eu", "Rui Reviewer", PlatformRole.REVIEWER, None),
    ("officer@demo.cityzero.eu", "Olga Officer", PlatformRole.COMMISSION_OFFICER, None),
    (
        "coordinator@demo.cityzero.eu",
        "Chris Coordinator",
        PlatformRole.NONE,
        (DEMO_CITY, CityRole.COORDINATOR),
    ),
    ("editor@demo.cityzero.eu", "Eda Editor", PlatformRole.NONE, (DEMO_CITY, CityRole.EDITOR)),
    ("editor2@demo.cityzero.eu", "Eli Editor", PlatformRole.NONE, (DEMO_CITY, CityRole.EDITOR)),
    ("viewer@demo.cityzero.eu", "Vic Viewer", PlatformRole.NONE, (DEMO_CITY, CityRole.VIEWER)),
    (
        "valencia@demo.cityzero.eu",
        "Val Coordinator",
        PlatformRole.NONE,
        (ADVISED_CITY, CityRole.COORDINATOR),
    ),
]

DEMO_INVENTORIES = (("aachen", 2022), ("valencia", 2019))
DEMO_INVENTORY_FILE = (
    Path(__file__).resolve().parents[3] / "inventories" / "data" / "demo_inventory.csv"
)

ILLUSTRATIVE = "*Illustrative demonstration content, not the city's own statement.*\n\n"

# Totals as the cities' published Climate City Contracts state them (see shared data notes).
PUBLISHED_INVESTMENT = {
    "aachen": (
        Decimal(7_200_000_000),
        "Aachen CCC, investment costs of at least €7.2 bn by 2030 (IKSK 2.0)",
    ),
    "valencia": (Decimal(2_800_000_000), "Valencia CCC, NZC economic model CAPEX, NPV 2020–2030"),
}


def _sections_for(city: City) -> dict[str, SectionInput]:
    total, source = PUBLISHED_INVESTMENT.get(city.slug, (None, ""))
    return {
        SectionKind.VISION: SectionInput(
            visibility=Visibility.PUBLIC,
            narrative_md=ILLUSTRATIVE
            + f"{city.name} wants to be a city where every home is warm without fossil fuel, "
            "where walking, cycling and public transport are the easy choice, and where "
            "nothing is wasted.",
            ambition_md="- Climate neutrality in 2030 for scopes 1 and 2 of all sectors\n"
            "- At least 80% fewer emissions than in the baseline year\n"
            "- Residual emissions compensated by local sinks",
        ),
        SectionKind.INVESTMENT: SectionInput(
            visibility=Visibility.PUBLIC,
            narrative_md=(f"Total as published: {source}. " if source else "")
            + "The split by field of action is illustrative.",
            total_investment_eur=total,
            rows=[
                {
                    "field_of_action": "energy",
                    "amount_eur": Decimal(900_000_000),
                    "note": "Heat networks",
                },
                {
                    "field_of_action": "buildings",
                    "amount_eur": Decimal(1_100_000_000),
                    "note": "Retrofits",
                },
                {"field_of_action": "mobility", "amount_eur": Decimal(600_000_000), "note": ""},
            ],
        ),
        SectionKind.STAKEHOLDERS: SectionInput(
            visibility=Visibility.MEMBERS,
            narrative_md=ILLUSTRATIVE,
            rows=[
                {
                    "name": "Municipal utility",
                    "type": "utility",
                    "level": "local",
                    "role": "Heat and power",
                    "influence": "high",
                    "interest": "high",
                },
                {
                    "name": "Regional energy agency",
                    "type": "public",
                    "level": "regional",
                    "role": "Advice to home owners",
                    "influence": "medium",
                    "interest": "high",
                },
                {
                    "name": "Chamber of commerce",
                    "type": "business",
                    "level": "local",
                    "role": "",
                    "influence": "medium",
                    "interest": "medium",
                },
            ],
        ),
        SectionKind.BARRIERS: SectionInput(
            visibility=Visibility.TEAM,
            narrative_md=ILLUSTRATIVE,
            rows=[
                {
                    "description": "Too few heat-pump installers",
                    "typology": "capacity",
                    "field_of_action": "buildings",
                },
                {
                    "description": "Debt ceiling limits borrowing",
                    "typology": "financial",
                    "field_of_action": "",
                },
            ],
        ),
    }


class Command(BaseCommand):
    help = (
        "Create demo users for every role, illustrative dossiers, inventories and contracts for "
        "two cities: Aachen's in review, Valencia's endorsed and monitored (idempotent)."
    )

    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD", "climate-neutral-2030")
        if not City.objects.filter(slug__in=[DEMO_CITY, ADVISED_CITY]).count() == 2:
            raise CommandError("Load the reference data first: cityzero load_reference_data")
        with transaction.atomic():
            users = {
                email: self._user(email, name, role, password)
                for email, name, role, _ in DEMO_USERS
            }
            for email, _name, _role, membership in DEMO_USERS:
                if membership:
                    slug, city_role = membership
                    CityMembership.objects.get_or_create(
                        user=users[email],
                        city=City.objects.get(slug=slug),
                        defaults={"role": city_role},
                    )
            AdvisorAssignment.objects.get_or_create(
                advisor=users["advisor@demo.cityzero.eu"], city=City.objects.get(slug=ADVISED_CITY)
            )
            # Aachen's own advisor; Ada Advisor reviews Aachen's contract, so she may not advise it.
            AdvisorAssignment.objects.get_or_create(
                advisor=users["aachen-advisor@demo.cityzero.eu"],
                city=City.objects.get(slug=DEMO_CITY),
                defaults={"assigned_by": users["staff@demo.cityzero.eu"]},
            )
            for slug in (DEMO_CITY, ADVISED_CITY):
                self._dossier(City.objects.get(slug=slug), users["coordinator@demo.cityzero.eu"])
            for slug, year in DEMO_INVENTORIES:
                self._inventory(City.objects.get(slug=slug), year, users["editor@demo.cityzero.eu"])
            aachen = City.objects.get(slug=DEMO_CITY)
            iteration = load_demo_contract(
                aachen,
                Inventory.objects.get(city=aachen, year=2022),
                by=users["editor@demo.cityzero.eu"],
            )
            if iteration is not None:
                load_demo_review(
                    iteration,
                    coordinator=users["coordinator@demo.cityzero.eu"],
                    staff=users["staff@demo.cityzero.eu"],
                    advisor=users["advisor@demo.cityzero.eu"],
                    reviewer=users["reviewer@demo.cityzero.eu"],
                )
            load_demo_monitoring(
                City.objects.get(slug=ADVISED_CITY),
                coordinator=users["valencia@demo.cityzero.eu"],
                staff=users["staff@demo.cityzero.eu"],
                officer=users["officer@demo.cityzero.eu"],
            )
            knowledge = load_demo_knowledge(by=users["staff@demo.cityzero.eu"])
            load_demo_needs(aachen, advisor=users["aachen-advisor@demo.cityzero.eu"])
            load_demo_request(
                aachen,
                requester=users["editor@demo.cityzero.eu"],
                staff=users["staff@demo.cityzero.eu"],
                expert=users["advisor@demo.cityzero.eu"],
            )
            load_demo_transition(aachen, by=users["editor@demo.cityzero.eu"])
            load_demo_funding(aachen, by=users["editor@demo.cityzero.eu"])
            load_demo_programmes(
                aachen,
                City.objects.get(slug=ADVISED_CITY),
                editor=users["editor@demo.cityzero.eu"],
                staff=users["staff@demo.cityzero.eu"],
                reviewer=users["reviewer@demo.cityzero.eu"],
                valencia_coordinator=users["valencia@demo.cityzero.eu"],
            )
            load_demo_community(
                staff=users["staff@demo.cityzero.eu"],
                coordinator=users["coordinator@demo.cityzero.eu"],
                editor=users["editor@demo.cityzero.eu"],
                colleague=users["editor2@demo.cityzero.eu"],
                viewer=users["viewer@demo.cityzero.eu"],
                valencia=users["valencia@demo.cityzero.eu"],
                advisor=users["aachen-advisor@demo.cityzero.eu"],
            )
        self._print_credentials(password)
        self.stdout.write(
            f"Knowledge Repository (/knowledge/): {knowledge.entries + knowledge.kept} "
            f"illustrative demo entries and {knowledge.collections + knowledge.collections_kept} "
            "curated collections; `cityzero generate_knowledge N` adds synthetic entries for "
            "scale tests."
        )

    def _user(self, email: str, name: str, role: str, password: str) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "platform_role": role}
        )
        if created:
            user.set_password(password)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _dossier(self, city: City, author: User) -> None:
        if DossierSection.objects.filter(city=city).exists():
            return
        City.objects.filter(pk=city.pk).update(illustrative=True)
        for kind, data in _sections_for(city).items():
            update_section(city, kind, data=data, base_version=0, by=author)

    def _inventory(self, city: City, year: int, author: User) -> None:
        """An illustrative inventory, built through the same import path cities use."""
        if Inventory.objects.filter(city=city, year=year).exists():
            return
        inventory = inventory_services.create_inventory(
            city, year, gwp_set="AR6", visibility="public", by=author
        )
        Inventory.objects.filter(pk=inventory.pk).update(illustrative=True)
        inventory_services.import_file(
            inventory,
            filename=DEMO_INVENTORY_FILE.name,
            data=DEMO_INVENTORY_FILE.read_bytes(),
            by=author,
        )

    def _print_credentials(self, password: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {password}):"))
        for email, _name, role, membership in DEMO_USERS:
            what = f"{membership[1]} of {membership[0]}" if membership else PlatformRole(role).label
            self.stdout.write(f"  {email:32} {what}")
        self.stdout.write(
            "Staff, reviewers and commission officers must set up two-factor authentication "
            "(an authenticator app) at their first sign-in."
        )
        self.stdout.write(
            "Aachen's contract, iteration 1, is in platform feedback: the advisor has a question "
            "for the city, the staff run the pipeline (/reviews/pipeline/), and the reviewer "
            "is assigned for the Commission review (/reviews/). The city revises in iteration 2."
        )
        self.stdout.write(
            "Valencia's contract is endorsed and monitored (/cities/valencia/progress/): reports "
            "on its actions since 2024, indicator values and its 2023 inventory against the "
            "pathway; staff and Ada Advisor follow it at /monitoring/. Run `cityzero "
            "remind_progress` daily to remind city editors of reports that are due."
        )
        self.stdout.write(
            "Aachen's advisor (Alma Advisor) has recorded two support needs assessments "
            "(/cities/aachen/needs-assessment/); the editor's question to an expert is answered "
            "(/cities/aachen/support/). Staff assign advisors at /advisors/ and route questions "
            "at /support/queue/."
        )
        self.stdout.write(
            "Calls and programmes (/programmes/): the 2021–22 Mission call with its 112 cities; an "
            "open Urban Transitions Mission call where Aachen's application waits for the "
            "reviewer's scores (/programmes/assessments/); Valencia's pilot activity with two "
            "tranches released and its twinning with Zaragoza."
        )
        self.stdout.write(
            "Community (/groups/): a public group on district heating with a discussion in which "
            "Val Coordinator is mentioned, a private Pilot Cities group that Vic Viewer asked to "
            "join, a secret group only its members and the staff see; events at /events/."
        )
