"""A city team saves a result; who sees it where (share link, dossier, investment plan IP-A2);
who may publish and delete it."""

import pytest
from django.urls import reverse

from cityzero.contracts.services import start_contract
from cityzero.finance import services
from cityzero.finance.models import MatchingRule, SavedResult
from cityzero.finance.selectors import saved_results_for_city
from tests.finance.conftest import PARK, RETROFIT
from tests.finance.test_pages import ranked_names, text

pytestmark = pytest.mark.django_db


def save_form(city, answers=RETROFIT, changes=None) -> dict:
    form = {"city": city.pk, "title": "School retrofits", "note": "For the treasury."}
    return {**answers, **form, **(changes or {})}


def saved_result(city, *, public=False, answers=RETROFIT) -> SavedResult:
    return services.save_result(city, answers=answers, title="School retrofits", public=public,
                                by=None)  # fmt: skip


# --- saving ---------------------------------------------------------------------------------------


def test_an_editor_saves_a_result_to_the_city(client, city, make_person, funding):
    editor = make_person("editor")
    client.force_login(editor)
    response = client.post(reverse("finance:save"), save_form(city))
    saved = SavedResult.objects.get()
    assert response.status_code == 302 and response.url == f"/finance/results/{saved.token}/"
    assert (saved.city, saved.saved_by, saved.title, saved.note, saved.public) == (
        city, editor, "School retrofits", "For the treasury.", False,
    )  # fmt: skip
    assert saved.answers["size"] == 2_000_000 and saved.answers["fields"] == ["buildings"]
    assert saved.snapshot["ranked"][0]["funding"]["code"] == "epc"
    assert len(saved.token) >= 32


def test_the_result_page_offers_an_editor_their_cities_only(client, city, other_city, make_person,
                                                             funding):  # fmt: skip
    client.force_login(make_person("editor"))
    page = text(client.get(reverse("finance:result"), RETROFIT))
    assert f'<option value="{city.pk}" selected>Aachen</option>' in page
    assert "Valencia" not in page


def test_a_viewer_is_told_who_saves_results(client, make_person, funding):
    client.force_login(make_person("viewer"))
    page = text(client.get(reverse("finance:result"), RETROFIT))
    assert "The coordinators and editors of a city save results to it." in page
    assert 'action="/finance/save/"' not in page


@pytest.mark.parametrize("role", ["viewer", "editor_of_other_city", "advisor_of_city", "member"])
def test_people_who_do_not_edit_the_city_cannot_save_to_it(client, city, make_person, funding,
                                                           role):  # fmt: skip
    client.force_login(make_person(role))
    response = client.post(reverse("finance:save"), save_form(city))
    assert response.status_code == 403
    assert not SavedResult.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, city, funding):
    response = client.post(reverse("finance:save"), save_form(city))
    assert response.status_code == 302 and "login" in response.url
    assert not SavedResult.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"note": "x" * 2001}, "at most 2000 characters"),
        ({"city": "999999"}, "Choose one of your cities."),
        ({"city": "Aachen"}, "Choose one of your cities."),
    ],
)
def test_a_save_with_a_bad_form_saves_nothing_and_says_why(client, city, make_person, funding,
                                                           change, message):  # fmt: skip
    client.force_login(make_person("editor"))
    response = client.post(reverse("finance:save"), save_form(city, changes=change))
    assert response.status_code == 422
    assert message in text(response)
    assert not SavedResult.objects.exists()


@pytest.mark.parametrize(
    "change", [{"size": "-1"}, {"fields": "space"}, {"stage": ["idea", "feasibility"]}]
)
def test_a_save_with_tampered_answers_saves_nothing_and_shows_the_questionnaire(
    client, city, make_person, funding, change
):
    client.force_login(make_person("editor"))
    response = client.post(reverse("finance:save"), save_form(city, changes=change))
    assert response.status_code == 422
    assert "needs fixing" in text(response)
    assert not SavedResult.objects.exists()


# --- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [("anonymous", False), ("member", False), ("editor_of_other_city", False),
     ("advisor_elsewhere", False), ("viewer", True), ("editor", True),
     ("advisor_of_city", True), ("staff", True)],
)  # fmt: skip
def test_a_team_only_result_is_seen_by_the_team_advisors_and_staff(
    client, city, make_person, funding, settings_without_mfa, role, sees
):
    saved = saved_result(city)
    person = make_person(role)
    if person:
        client.force_login(person)
    response = client.get(reverse("finance:saved", args=[saved.token]))
    assert response.status_code == (200 if sees else 404)
    dossier = text(client.get(reverse("cities:detail", args=[city.slug])))
    assert ("School retrofits" in dossier) is sees


def test_a_public_result_is_seen_by_everyone_on_the_dossier_and_by_its_link(client, city, funding):
    saved = saved_result(city, public=True)
    page = text(client.get(reverse("finance:saved", args=[saved.token])))
    assert "School retrofits" in page and "Energy performance contracting (ESCO)" in page
    dossier = text(client.get(reverse("cities:detail", args=[city.slug])))
    assert "Funding options from the Finance Guidance Tool" in dossier
    assert f'href="/finance/results/{saved.token}/"' in dossier
    assert "Best fits:</span> Energy performance contracting (ESCO);" in dossier


def test_an_unknown_token_is_not_found(client, funding):
    assert client.get(reverse("finance:saved", args=["no-such-token"])).status_code == 404


def test_a_saved_result_keeps_its_ranking_when_the_rules_change(client, city, funding):
    saved = saved_result(city, public=True)
    MatchingRule.objects.filter(funding_type__code="epc").update(active=False)
    MatchingRule.objects.first().save()  # as the admin would: the caches go
    page = client.get(reverse("finance:saved", args=[saved.token]))
    assert ranked_names(page)[0] == "Energy performance contracting (ESCO)"
    live = client.get(reverse("finance:result"), RETROFIT)
    assert "Energy performance contracting (ESCO)" not in ranked_names(live)


def test_the_investment_plan_lists_the_saved_results_read_only(client, city, make_person, funding):
    start_contract(city, baseline=None, by=None)
    saved_result(city)
    saved_result(city, answers=PARK)
    client.force_login(make_person("viewer"))
    page = text(client.get(reverse("contracts:module", args=[city.slug, 1, "ip_a2"])))
    assert "Funding options saved from the Finance Guidance Tool" in page
    assert page.count("School retrofits") == 2
    other = text(client.get(reverse("contracts:module", args=[city.slug, 1, "ip_a1"])))
    assert "Funding options saved from the Finance Guidance Tool" not in other


def test_the_dossier_invites_editors_to_use_the_tool(client, city, make_person, funding):
    client.force_login(make_person("editor"))
    page = text(client.get(reverse("cities:detail", args=[city.slug])))
    assert "The city has not saved any result of the Finance Guidance Tool yet." in page
    assert 'href="/finance/"' in page


def test_an_anonymous_visitor_sees_no_empty_funding_section(client, city, funding):
    page = text(client.get(reverse("cities:detail", args=[city.slug])))
    assert "Funding options from the Finance Guidance Tool" not in page


# --- publishing and deleting ----------------------------------------------------------------------


def test_an_editor_makes_a_result_public_and_private_again(client, city, make_person, funding):
    saved = saved_result(city)
    client.force_login(make_person("editor"))
    url = reverse("finance:visibility", args=[saved.token])
    assert client.post(url, {"public": "on"}).status_code == 302
    assert SavedResult.objects.get().public
    client.post(url, {})
    assert not SavedResult.objects.get().public


def test_an_editor_deletes_a_saved_result(client, city, make_person, funding):
    saved = saved_result(city)
    client.force_login(make_person("editor"))
    response = client.post(reverse("finance:delete", args=[saved.token]))
    assert response.status_code == 302 and response.url == "/cities/aachen/#funding-results"
    assert not SavedResult.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("editor_of_other_city", 404)])
def test_others_cannot_delete_or_publish_a_result(client, city, make_person, funding, role,
                                                  status):  # fmt: skip
    saved = saved_result(city)
    client.force_login(make_person(role))
    assert client.post(reverse("finance:delete", args=[saved.token])).status_code == status
    visibility = reverse("finance:visibility", args=[saved.token])
    assert client.post(visibility, {"public": "on"}).status_code == status
    assert SavedResult.objects.filter(public=False).count() == 1


def test_another_citys_editor_cannot_delete_a_public_result_either(client, city, make_person,
                                                                  funding):  # fmt: skip
    saved = saved_result(city, public=True)
    client.force_login(make_person("editor_of_other_city"))
    assert client.post(reverse("finance:delete", args=[saved.token])).status_code == 403
    assert SavedResult.objects.exists()


def test_deleting_needs_a_post(client, city, make_person, funding):
    saved = saved_result(city)
    client.force_login(make_person("editor"))
    assert client.get(reverse("finance:delete", args=[saved.token])).status_code == 405
    assert SavedResult.objects.exists()


def test_the_dossier_reads_the_saved_results_in_one_query(
    client, city, make_person, funding, django_assert_num_queries
):
    for _ in range(3):
        saved_result(city)
    viewer = make_person("viewer")
    saved_results_for_city(city, viewer)  # the person's roles are read once per request
    with django_assert_num_queries(1):
        assert len(saved_results_for_city(city, viewer)) == 3
