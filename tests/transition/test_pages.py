"""The map's pages: the guide, a city's map, reporting through the page, and who may do it."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from cityzero.contracts.services import start_contract
from cityzero.knowledge.models import Entry, EntryStatus, Tag
from cityzero.knowledge.services import load_tags, save_entry
from cityzero.transition.models import StepProgress, StepStatus
from cityzero.transition.phases import PHASES, STEP_BY_CODE, STEPS
from cityzero.transition.services import report_progress
from tests.contracts.conftest import make_baseline
from tests.factories import CityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STEP = STEP_BY_CODE["baseline-inventory"]


def city_map_url(city):
    return reverse("transition:city", args=[city.slug])


def report_url(city, step=STEP):
    return reverse("transition:city_step", args=[city.slug, step.code])


def step_url(step=STEP):
    return reverse("transition:step", args=[step.phase, step.code])


def form(version=0, status="done", note="Inventory 2022 finalised.",
         evidence="https://example.org/inventory-2022.pdf"):  # fmt: skip
    return {"version": str(version), "status": status, "note": note, "evidence_url": evidence}


def report_on(city, steps, status=StepStatus.DONE):
    for step in steps:
        report_progress(city, step.code, status=status, note=f"Note on {step.code}",
                        evidence_url="https://example.org/e", base_version=0,
                        by=UserFactory())  # fmt: skip


def entry(title, *codes, status=EntryStatus.PUBLISHED):
    tags = list(Tag.objects.filter(code__in=codes))
    return save_entry(Entry(title=title, summary=f"About {title}.", kind="guide"), tags=tags,
                      by=None, publish=status == EntryStatus.PUBLISHED)  # fmt: skip


# --- The guide --------------------------------------------------------------------------------


def test_the_map_page_shows_the_svg_and_every_phase_and_step_as_links(client):
    page = client.get(reverse("transition:map")).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="transition-map"') == 1
    for step in STEPS:
        # once in the drawing, once in the text alternative
        assert page.count(f'href="{step_url(step)}"') == 2
    for phase in PHASES:
        assert page.count(f'href="{reverse("transition:phase", args=[phase.code])}"') >= 2


def test_the_main_navigation_links_to_the_map(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("transition:map")}"' in page and "Transition map" in page


def test_a_phase_page_lists_its_steps_and_links_to_its_neighbours(client):
    page = client.get(reverse("transition:phase", args=["system"])).content.decode()
    assert "Phase 2: Understand the system" in page
    assert all(escape(str(step.title)) in page for step in PHASES[1].steps)
    assert f'href="{reverse("transition:phase", args=["mandate"])}" rel="prev"' in page
    assert f'href="{reverse("transition:phase", args=["portfolio"])}" rel="next"' in page


def test_the_last_phase_leads_to_the_next_cycle(client):
    page = client.get(reverse("transition:phase", args=["normal"])).content.decode()
    assert "Start the next cycle:" in page


def test_a_step_page_shows_goal_guidance_outputs_tools_and_neighbours(client):
    page = client.get(step_url()).content.decode()
    assert str(STEP.goal) in page
    assert "<strong>notation key</strong>" in page  # the guidance, rendered from Markdown
    assert "A finalised baseline inventory with its sources" in page
    assert f'href="{reverse("cities:list")}"' in page  # a visitor's tool: find your city
    assert 'rel="prev">← 1.5 ' in page and 'rel="next">2.2 ' in page


def test_a_step_page_links_published_entries_carrying_its_tags(client):
    load_tags()
    entry("Counting emissions with the GPC", "ghg-inventory")
    entry("Unrelated", "sustainable-food")
    entry("Waiting for moderation", "ghg-inventory", status=EntryStatus.PENDING)
    page = client.get(step_url()).content.decode()
    found = Entry.objects.get(title="Counting emissions with the GPC")
    assert f'href="{reverse("knowledge:entry", args=[found.slug])}"' in page
    assert "Unrelated" not in page and "Waiting for moderation" not in page


def test_a_team_member_gets_tools_for_their_city_and_its_progress(client, city, make_person):
    report_on(city, [STEP], StepStatus.IN_PROGRESS)
    client.force_login(make_person("viewer"))
    page = client.get(step_url()).content.decode()
    assert f'href="{reverse("inventories:list", args=[city.slug])}"' in page
    assert "Opened for Aachen." in page
    assert f'href="{report_url(city)}"' in page and "In progress" in page


def test_a_step_under_the_wrong_phase_redirects_to_its_address(client):
    response = client.get(reverse("transition:step", args=["act", STEP.code]))
    assert response.status_code == 301 and response.url == step_url()


@pytest.mark.parametrize(
    "url",
    ["/transition/moonshot/", "/transition/system/build-a-rocket/",
     "/cities/atlantis/transition/", "/cities/aachen/transition/build-a-rocket/"],
)  # fmt: skip
def test_unknown_phases_steps_and_cities_are_not_found(client, city, url):
    assert client.get(url).status_code == 404


# --- A city's map -----------------------------------------------------------------------------


def test_the_city_map_shows_status_note_and_evidence_of_each_step(client, city):
    report_on(city, [STEP])
    page = client.get(city_map_url(city)).content.decode()
    assert "Climate Transition Map of Aachen" in page
    assert "1 of 31 steps done, 0 in progress." in page
    assert "Note on baseline-inventory" in page
    assert 'href="https://example.org/e" rel="nofollow noopener noreferrer"' in page
    assert page.count('class="tm-status tm-status--done"') == 1
    assert page.count('class="tm-status tm-status--not_started"') == len(STEPS) - 1


def test_a_visitor_sees_no_report_form_or_update_links(client, city):
    assert "#report" not in client.get(city_map_url(city)).content.decode()
    page = client.get(report_url(city)).content.decode()
    assert 'name="status"' not in page and "No progress has been reported" in page


# --- Reporting through the page: who may ------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "coordinator", "staff"])
def test_editors_coordinators_and_staff_report_progress(
    client, city, make_person, settings_without_mfa, role
):
    client.force_login(make_person(role))
    assert 'name="status"' in client.get(report_url(city)).content.decode()
    response = client.post(report_url(city), form())
    assert response.status_code == 302
    assert response.url == f"{city_map_url(city)}#step-{STEP.code}"
    progress = StepProgress.objects.get(city=city, step=STEP.code)
    assert (progress.status, progress.evidence_url) == (
        "done",
        "https://example.org/inventory-2022.pdf",
    )


@pytest.mark.parametrize("role", ["viewer", "member", "editor_of_other_city", "advisor_of_city",
                                  "reviewer", "officer"])  # fmt: skip
def test_others_may_not_report_progress(client, city, make_person, settings_without_mfa, role):
    client.force_login(make_person(role))
    page = client.get(report_url(city))
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    refused = client.post(report_url(city), form())
    assert refused.status_code == 403
    assert not StepProgress.objects.exists()


def test_an_anonymous_report_is_sent_to_sign_in(client, city):
    response = client.post(report_url(city), form())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not StepProgress.objects.exists()


def test_an_editor_may_not_report_for_someone_elses_city(client, city, other_city, make_person):
    client.force_login(make_person("editor"))
    assert client.post(report_url(other_city), form()).status_code == 403
    assert not StepProgress.objects.exists()


# --- Reporting through the page: bad input and conflicts --------------------------------------


@pytest.fixture
def editor_client(client, make_person):
    client.force_login(make_person("editor"))
    return client


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"evidence": "javascript:alert(1)"}, "Give a web address starting with https://"),
        ({"evidence": "ftp://example.org/a"}, "Give a web address starting with https://"),
        ({"note": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"status": "finished"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_in_the_form_and_nothing_is_saved(editor_client, city, fields, message):
    response = editor_client.post(report_url(city), form(**fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StepProgress.objects.exists()


def test_a_damaged_form_without_a_version_is_refused(editor_client, city):
    data = form()
    del data["version"]
    response = editor_client.post(report_url(city), data)
    assert response.status_code == 422 and "out of date" in response.content.decode()


def test_a_stale_form_shows_the_other_version_and_keeps_the_editors_entries(editor_client, city):
    report_progress(city, STEP.code, status="in_progress", note="Theirs", base_version=0,
                    by=UserFactory(full_name="Olga Other"))  # fmt: skip
    response = editor_client.post(report_url(city), form(version=0, note="Mine"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this step" in page and "Olga Other saved" in page
    assert "Theirs" in page and "Mine</textarea>" in page
    assert 'name="version" value="1"' in page  # saving again replaces theirs, knowingly
    assert StepProgress.objects.get().note == "Theirs"


def test_the_step_history_says_who_changed_what(editor_client, city):
    editor_client.post(report_url(city), form(status="in_progress", evidence=""))
    editor_client.post(report_url(city), form(version=1, status="done", evidence=""))
    page = editor_client.get(report_url(city)).content.decode()
    assert page.count("Status: Done") == 1 and page.count("Status: In progress") == 1
    assert page.count("Note changed") == 1


def test_saving_unchanged_progress_says_nothing_was_saved(editor_client, city):
    editor_client.post(report_url(city), form())
    response = editor_client.post(report_url(city), form(version=1), follow=True)
    assert "Nothing changed, so nothing was saved." in response.content.decode()


# --- The dossier and the contract -------------------------------------------------------------


def test_the_dossier_shows_steps_done_and_in_progress_per_phase(client, city):
    report_on(city, PHASES[0].steps)
    report_on(city, PHASES[1].steps[:2], StepStatus.IN_PROGRESS)
    page = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert "5 of 31 steps done, 2 in progress." in page
    assert '<th scope="row">1 Build a strong mandate</th><td class="num">5</td>' in page
    assert f'href="{city_map_url(city)}"' in page


def test_the_cached_dossier_changes_after_a_report(
    client, city, django_capture_on_commit_callbacks
):
    url = reverse("cities:detail", args=[city.slug])
    assert "has not reported progress on the map yet" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        report_on(city, [STEP])
    assert "1 of 31 steps done" in client.get(url).content.decode()


def test_the_cached_city_map_changes_after_a_report(client, city):
    url = city_map_url(city)
    client.get(url)
    report_on(city, [STEP])
    assert "1 of 31 steps done" in client.get(url).content.decode()


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("reported", [1, len(STEPS)])
def test_the_city_map_reads_a_fixed_number_of_queries(
    client, city, django_assert_num_queries, reported
):
    report_on(city, STEPS[:reported])
    with django_assert_num_queries(2):  # the city with its newest iteration, the progress
        assert client.get(city_map_url(city)).status_code == 200


@pytest.mark.parametrize("reported", [1, len(STEPS)])
def test_the_city_step_page_reads_a_fixed_number_of_queries(
    client, city, make_person, django_assert_num_queries, reported
):
    report_on(city, STEPS[:1])
    for version in range(1, reported):
        report_progress(city, STEPS[0].code, status="done", note=f"v{version + 1}",
                        base_version=version, by=UserFactory())  # fmt: skip
    client.force_login(make_person("editor"))
    # session, user, roles (2), the city, the progress, its revisions, unread notifications
    with django_assert_num_queries(8):
        assert client.get(report_url(city, STEPS[0])).status_code == 200


@pytest.mark.parametrize("cities", [1, 3])
def test_the_guide_pages_read_a_fixed_number_of_queries(
    client, city, make_person, django_assert_num_queries, cities
):
    editor = make_person("editor")
    towns = [city, *(MembershipFactory(user=editor, city=CityFactory()).city
                     for _ in range(cities - 1))]  # fmt: skip
    for town in towns:
        report_on(town, [STEP])
    with django_assert_num_queries(0):
        assert client.get(reverse("transition:map")).status_code == 200
    with django_assert_num_queries(1):  # the linked entries
        assert client.get(step_url()).status_code == 200
    client.force_login(editor)
    # session, user, roles (2), team cities, their progress on the step, entries, notifications
    with django_assert_num_queries(8):
        assert client.get(step_url()).status_code == 200


def test_the_contracts_priorities_module_cites_the_work_process(client, city, make_person):
    start_contract(city, baseline=make_baseline(city), by=None)
    for phase in PHASES[:3]:
        report_on(city, phase.steps)
    report_on(city, PHASES[3].steps[:2])
    client.force_login(make_person("editor"))
    page = client.get(reverse("contracts:module", args=[city.slug, 1, "priorities"]))
    text = page.content.decode()
    assert "Work process: the Climate Transition Map" in text
    assert "Phases 1–3 done; phase 4 under way (2 of 5 steps done); phases 5–6 not started." in text
    assert f'href="{city_map_url(city)}"' in text
    other = client.get(reverse("contracts:module", args=[city.slug, 1, "goal"])).content.decode()
    assert "Work process: the Climate Transition Map" not in other


def test_a_phase_page_links_to_the_repository_filtered_by_its_tag(client):
    page = client.get(reverse("transition:phase", args=["learn"])).content.decode()
    assert f'href="{reverse("knowledge:search")}?tag=phase-learn"' in page
