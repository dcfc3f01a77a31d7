"""Pilot activities with tranches released by approved reports, and twinning: suggestions from
the cities' contracts and dossiers, pairs and trios, the three modules and the replication plan."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole, User
from cityzero.cities.models import MissionStatus
from cityzero.community.models import Notification
from cityzero.contracts.models import Action, Contract, Iteration
from cityzero.programmes import selectors, services
from cityzero.programmes.eligibility import add_months
from cityzero.programmes.models import (
    ActivityReport,
    Deliverable,
    ProgrammeKind,
    ReportStatus,
    TrancheTrigger,
    TwinningGroup,
)
from tests.factories import CityFactory, MembershipFactory, save_section
from tests.programmes.factories import cohort, editor_of, pdf, pilot_activity, staff

pytestmark = pytest.mark.django_db


# --- pilot activities and tranches ------------------------------------------------------------------


def test_a_pilot_activity_splits_its_grant_into_tranches(city, other_city):
    activity = pilot_activity(city, partners=[other_city], grant=1_000_003)
    assert activity.city_ids == {city.pk, other_city.pk}
    assert list(activity.tranches.values_list("trigger", "share_pct", "amount_eur")) == [
        ("start", 40, 400_001), ("interim", 40, 400_001), ("final", 20, 200_001)
    ]  # fmt: skip
    assert activity.summary_html == "<p><strong>Heat</strong> from waste water.</p>"


def test_the_activitys_cities_are_told(city, other_city):
    partner_editor = editor_of(other_city)
    activity = pilot_activity(city, partners=[other_city])
    assert Notification.objects.get(recipient=partner_editor).title == (
        f"Pilot activity started: {activity.title}"
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"grant_eur": 0}, "Give the grant in whole euros"),
        ({"grant_eur": 100_000_001}, "Give the grant in whole euros"),
        ({"grant_eur": "1000"}, "Give the grant in whole euros"),
        ({"split": (40, 40, 30)}, "add up to 100"),
        ({"split": (50, 50)}, "add up to 100"),
        ({"fields_of_action": []}, "Choose the field(s) of action"),
        ({"fields_of_action": ["space"]}, "Choose the field(s) of action"),
        ({"levers": ["magic"]}, "Choose levers from the list."),
        ({"ends_on": date(2020, 1, 1)}, "The activity ends after it starts."),
        ({"title": " "}, "Give a title"),
    ],
)
def test_a_bad_activity_is_refused_with_the_reason(city, changes, problem):
    pilots = cohort(ProgrammeKind.PILOT, slug="pilots")
    values = {"title": "Heat", "summary": "", "lead_city": city, "fields_of_action": ["energy"],
              "grant_eur": 500_000, "starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31),
              **changes}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.create_pilot_activity(pilots, by=None, **values)
    assert any(problem in message for message in refused.value.messages)


def test_pilot_activities_belong_to_a_pilot_cohort(city):
    with pytest.raises(ValidationError, match="cohort of the Pilot Cities Programme"):
        services.create_pilot_activity(
            cohort(ProgrammeKind.UTM), title="Heat", summary="", lead_city=city,
            fields_of_action=["energy"], grant_eur=1, starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1), by=None,
        )  # fmt: skip


def test_staff_release_the_first_tranche_when_the_agreement_is_signed(city):
    editor = editor_of(city)
    activity = pilot_activity(city)
    first = activity.tranches.get(trigger=TrancheTrigger.START)
    services.release_tranche(first, by=staff())
    first.refresh_from_db()
    assert first.is_released
    assert Notification.objects.filter(recipient=editor, title__startswith="€400,000 of the grant")
    with pytest.raises(ValidationError, match="This tranche was released on"):
        services.release_tranche(first, by=staff())


def test_the_other_tranches_wait_for_their_report(city):
    activity = pilot_activity(city)
    with pytest.raises(ValidationError, match="released when staff approve the interim report"):
        services.release_tranche(activity.tranches.get(trigger="interim"), by=staff())


def report(activity, kind="interim", **fields):
    fields.setdefault("by", editor_of(activity.lead_city))
    return services.submit_report(activity, kind=kind, body=fields.pop("body", "We did it."),
                                  **fields)  # fmt: skip


def test_approving_the_interim_report_releases_the_interim_tranche(city):
    activity = pilot_activity(city)
    submitted = report(activity, upload=pdf("interim.pdf"))
    assert submitted.file_name == "interim.pdf" and submitted.stored_name.endswith(".pdf")
    services.review_report(submitted, approve=True, note="", by=staff())
    released = dict(activity.tranches.values_list("trigger", "released_at"))
    assert released["interim"] is not None and released["final"] is None


def test_the_final_report_waits_for_the_approved_interim_report(city):
    activity = pilot_activity(city)
    with pytest.raises(ValidationError, match="once the interim report is approved"):
        report(activity, "final")
    interim = report(activity)
    with pytest.raises(ValidationError, match="once the interim report is approved"):
        report(activity, "final")
    services.review_report(interim, approve=True, note="", by=staff())
    final = report(activity, "final")
    services.review_report(final, approve=True, note="Well done.", by=staff())
    assert all(tranche.is_released or tranche.trigger == "start"
               for tranche in activity.tranches.all())  # fmt: skip


def test_a_returned_report_says_why_and_may_be_sent_again(city):
    activity = pilot_activity(city)
    first = report(activity)
    with pytest.raises(ValidationError, match="Say what the cities should change"):
        services.review_report(first, approve=False, note="", by=staff())
    services.review_report(first, approve=False, note="Add the spending.", by=staff())
    first.refresh_from_db()
    assert first.status == ReportStatus.RETURNED
    assert not activity.tranches.get(trigger="interim").is_released
    assert report(activity, body="With the spending.").status == ReportStatus.SUBMITTED


def test_a_report_waiting_for_approval_is_not_sent_twice(city):
    activity = pilot_activity(city)
    report(activity)
    with pytest.raises(ValidationError, match="The interim report is in already"):
        report(activity)


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("annual", "x", "Choose the interim or the final report."),
        ("interim", "  ", "Write the report."),
    ],
)
def test_a_bad_report_is_refused(city, kind, body, problem):
    with pytest.raises(ValidationError, match=problem):
        report(pilot_activity(city), kind, body=body)
    assert not ActivityReport.objects.exists()


def test_a_decided_report_is_not_decided_again(city):
    activity = pilot_activity(city)
    submitted = report(activity)
    services.review_report(submitted, approve=True, note="", by=staff())
    with pytest.raises(ValidationError, match="decided already"):
        services.review_report(submitted, approve=False, note="No", by=staff())


# --- twinning ---------------------------------------------------------------------------------------


def twin(name: str, **fields):
    fields.setdefault("mission_status", MissionStatus.NONE)
    return CityFactory(name=name, **fields)


def twinning(activity, twins, *, months: int = 14, start=date(2026, 3, 1)):
    return services.create_twinning_group(activity, twins=twins, starts_on=start,
                                          ends_on=add_months(start, months), by=staff())  # fmt: skip


def test_a_pair_and_a_trio(city):
    activity = pilot_activity(city)
    pair = twinning(activity, [twin("Gent")])
    trio = twinning(activity, [twin("Lund"), twin("Graz")])
    assert [pair.twins.count(), trio.twins.count()] == [1, 2]
    assert pair.city_ids == {city.pk, *pair.twins.values_list("pk", flat=True)}


@pytest.mark.parametrize("count", [0, 3])
def test_a_twinning_is_a_pair_or_a_trio(city, count):
    activity = pilot_activity(city)
    with pytest.raises(ValidationError, match="a pair or a trio"):
        twinning(activity, [twin(f"Town {n}") for n in range(count)])


@pytest.mark.parametrize(("months", "allowed"), [(11, False), (12, True), (20, True), (21, False)])
def test_a_twinning_lasts_12_to_20_months(city, months, allowed):
    activity = pilot_activity(city)
    if allowed:
        assert twinning(activity, [twin("Gent")], months=months)
    else:
        with pytest.raises(ValidationError, match="lasts 12 to 20 months"):
            twinning(activity, [twin("Gent")], months=months)


def test_a_pilot_or_twin_city_is_not_twinned_again(city, other_city):
    activity = pilot_activity(city)
    gent = twin("Gent")
    twinning(activity, [gent])
    pilot_activity(other_city)
    with pytest.raises(ValidationError, match="Already a pilot or twin city: Gent"):
        twinning(activity, [gent])
    with pytest.raises(ValidationError, match="Already a pilot or twin city: Valencia"):
        twinning(activity, [other_city])
    with pytest.raises(ValidationError, match="run the pilot activity itself"):
        twinning(activity, [city])


def test_the_modules_go_in_order_and_end_in_the_replication_plan(city):
    editor = editor_of(city)
    group = twinning(pilot_activity(city), [twin("Gent")])
    with pytest.raises(ValidationError, match="Learning agreement, Starting point of each twin"):
        services.submit_deliverable(group, code="study_visit", body="We went.", by=editor)
    for code in ("learning_agreement", "starting_point", "study_visit", "adaptation"):
        services.submit_deliverable(group, code=code, body=f"{code} done.", by=editor)
    group = selectors.group_page(group.pk)
    assert [step.done for step in selectors.module_progress(group.handed_in)] == [True, True, False]
    services.submit_deliverable(group, code="replication_plan", body="We **will**.", by=editor)
    group = TwinningGroup.objects.prefetch_related("deliverables").get(pk=group.pk)
    assert group.modules_done == 3
    assert Deliverable.objects.get(code="replication_plan").body_html == (
        "<p>We <strong>will</strong>.</p>"
    )


def test_a_deliverable_is_handed_in_once(city):
    group = twinning(pilot_activity(city), [twin("Gent")])
    services.submit_deliverable(group, code="learning_agreement", body="Agreed.", by=None)
    with pytest.raises(ValidationError, match="is handed in already"):
        services.submit_deliverable(group, code="learning_agreement", body="Again.", by=None)


@pytest.mark.parametrize(
    ("code", "body", "problem"),
    [
        ("party", "x", "There is no such deliverable."),
        ("learning_agreement", "", "Write the deliverable."),
    ],
)
def test_a_bad_deliverable_is_refused(city, code, body, problem):
    group = twinning(pilot_activity(city), [twin("Gent")])
    with pytest.raises(ValidationError, match=problem):
        services.submit_deliverable(group, code=code, body=body, by=None)


def test_the_other_cities_and_the_staff_hear_of_a_deliverable(city):
    gent = twin("Gent")
    twin_editor = MembershipFactory(city=gent, role=CityRole.EDITOR).user
    group = twinning(pilot_activity(city), [gent])
    pilot_editor = editor_of(city)
    services.submit_deliverable(group, code="learning_agreement", body="Agreed.", by=pilot_editor)
    told = set(Notification.objects.filter(title__contains="handed in").values_list(
        "recipient", flat=True))  # fmt: skip
    everyone_staff = set(User.objects.filter(platform_role=PlatformRole.STAFF).values_list(
        "pk", flat=True))  # fmt: skip
    assert told == {twin_editor.pk, *everyone_staff} and pilot_editor.pk not in told


# --- suggested twins from the platform's data -------------------------------------------------------


def actions(city, number: int, *pairs, existing_plan: bool = False):
    contract, _new = Contract.objects.get_or_create(city=city)
    iteration, _new = Iteration.objects.get_or_create(contract=contract, number=number)
    for field, lever in pairs:
        Action.objects.create(iteration=iteration, name=f"{field} {lever}", field_of_action=field,
                              lever=lever, existing_plan=existing_plan)  # fmt: skip


def barriers(city, *typologies):
    rows = [
        {"description": f"{t} barrier", "typology": t, "field_of_action": ""} for t in typologies
    ]
    save_section(city, "barriers", "team", rows=rows)


def test_suggestions_read_the_newest_contract_and_the_dossier_by_hand(city):
    # The pilot: Aachen, 250,000 inhabitants at 50.77°N (band 50–55°), barriers financial and
    # capacity; the activity works on energy with the technology lever.
    barriers(city, "financial", "capacity")
    activity = pilot_activity(city, fields=("energy",), levers=("technology",))
    # Gent: iteration 1 said mobility; iteration 2 (the newest) says energy/technology and, from
    # an existing plan (not counted), waste/finance. Barrier: financial. 250,000 at 51.05°N.
    # fields 1/1 × 35 + levers 1/1 × 25 + barriers 1/2 × 20 + size 10 + climate 10 = 90.
    gent = twin("Gent", population=250_000, latitude=51.05, longitude=3.72)
    actions(gent, 1, ("mobility", "governance"))
    actions(gent, 2, ("energy", "technology"))
    actions(gent, 2, ("waste", "finance"), existing_plan=True)
    barriers(gent, "financial")
    # Oulu: energy and mobility, governance; no barriers; 25,000 at 65.0°N (band 65, 3 bands
    # away): fields 1/2 × 35 = 17.5 + levers 0 + size 10 × (1 − 1) = 0 + climate 0 = 17.5.
    oulu = twin("Oulu", population=25_000, latitude=65.0, longitude=25.47)
    actions(oulu, 1, ("energy", "governance"), ("mobility", "governance"))
    # Tartu: nothing known but its latitude 58.4°N (next band): 5.
    twin("Tartu", population=None, latitude=58.4, longitude=26.7)
    suggestions = selectors.twin_suggestions(activity)
    assert [(s.profile.name, round(s.score, 2)) for s in suggestions] == [
        ("Gent", 90.0), ("Oulu", 17.5), ("Tartu", 5.0)
    ]  # fmt: skip
    assert suggestions[0].profile.fields == {"energy"}
    assert suggestions[0].profile.levers == {"technology"}


def test_suggestions_leave_out_pilots_twins_and_optionally_mission_cities(city, other_city):
    activity = pilot_activity(city)
    taken, free = twin("Gent"), twin("Lund")
    twinning(activity, [taken])
    names = [s.profile.name for s in selectors.twin_suggestions(activity)]
    assert names == ["Lund", "Valencia"]  # Valencia is a mission city (the factory's default)
    only_new = selectors.twin_suggestions(activity, mission_cities=False)
    assert [s.profile.name for s in only_new] == [free.name]


def test_a_pilot_of_another_activity_is_not_suggested(city, other_city):
    activity = pilot_activity(city)
    pilot_activity(other_city)
    assert other_city.name not in [s.profile.name for s in selectors.twin_suggestions(activity)]


def test_activity_dates_are_kept(city):
    activity = pilot_activity(city)
    assert activity.ends_on == timezone.localdate() + timedelta(days=700)
