import io
from datetime import date

import pytest
from django.core.management import call_command

from cityzero.accounts.models import AdvisorAssignment, CityMembership, User
from cityzero.cities.models import City, DossierSection, SectionRevision
from cityzero.cities.selectors import needs_history
from cityzero.contracts.models import Iteration, IterationStatus
from cityzero.inventories.models import Inventory
from cityzero.inventories.selectors import inventory_summary
from cityzero.support.models import ExpertRequest

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_prints_credentials_and_can_be_loaded_twice():
    call_command("load_reference_data", stdout=io.StringIO())
    first = load_demo()
    counts = (User.objects.count(), CityMembership.objects.count(), SectionRevision.objects.count())
    second = load_demo()
    assert "editor@demo.cityzero.eu" in first and "password for all" in first
    assert first == second
    assert counts == (
        User.objects.count(),
        CityMembership.objects.count(),
        SectionRevision.objects.count(),
    )


def test_demo_dossiers_are_marked_illustrative():
    call_command("load_reference_data", stdout=io.StringIO())
    load_demo()
    cities_with_dossiers = City.objects.filter(sections__isnull=False).distinct()
    assert cities_with_dossiers.count() == 2
    assert all(city.illustrative for city in cities_with_dossiers)
    assert DossierSection.objects.filter(narrative_md__contains="Illustrative").exists()


def test_demo_needs_the_reference_data_first():
    with pytest.raises(Exception, match="load_reference_data"):
        load_demo()


def test_demo_inventories_are_imported_and_complete():
    call_command("load_reference_data", stdout=io.StringIO())
    load_demo()
    inventory = Inventory.objects.get(city__slug="aachen", year=2022)
    summary = inventory_summary(inventory)
    assert inventory.illustrative and summary["errors"] == []
    assert summary["basic_tco2e"] > 0
    assert summary["checks"] == []  # BASIC complete, recent year, nothing excluded


def test_demo_contract_passes_the_checklist_and_waits_for_platform_feedback():
    call_command("load_reference_data", stdout=io.StringIO())
    load_demo()
    iteration = Iteration.objects.get(contract__city__slug="aachen")
    assert iteration.status == IterationStatus.FEEDBACK
    assert list(iteration.transitions.values_list("step", flat=True)) == ["submit", "open_feedback"]
    assert sorted(iteration.assignments.values_list("reviewer__email", "stage")) == [
        ("advisor@demo.cityzero.eu", "feedback"),
        ("reviewer@demo.cityzero.eu", "commission"),
    ]
    (thread,) = iteration.comments.all()
    assert thread.side == "reviewer" and thread.anchor.startswith("item:")


def test_demo_aachen_has_an_advisor_a_needs_assessment_and_an_answered_question():
    call_command("load_reference_data", stdout=io.StringIO())
    load_demo()
    load_demo()  # idempotent: still one of each
    aachen = City.objects.get(slug="aachen")
    (assignment,) = AdvisorAssignment.objects.filter(city=aachen)
    assert assignment.advisor.email == "aachen-advisor@demo.cityzero.eu"
    assert assignment.assigned_by.email == "staff@demo.cityzero.eu"
    history = needs_history(aachen)
    assert [view.assessment.assessed_on for view in history] == [
        date(2025, 10, 6),
        date(2024, 10, 7),
    ]
    assert {view.assessment.assessor for view in history} == {assignment.advisor}
    assert [r.area.code for r in history[0].needing_support] == ["finance", "skills"]
    (request,) = ExpertRequest.objects.filter(city=aachen)
    assert request.status == "answered" and request.expert.email == "advisor@demo.cityzero.eu"
    assert request.requester.email == "editor@demo.cityzero.eu"
    assert request.messages.get().is_answer
