"""Editing a dossier section through the pages: permissions, bad input, conflicts."""

import pytest
from django.urls import reverse

from cityzero.cities.models import DossierSection, InvestmentNeed, SectionRevision, Stakeholder
from tests.factories import save_section

pytestmark = pytest.mark.django_db


def edit_url(city, kind="vision"):
    return reverse("cities:section_edit", args=[city.slug, kind])


def vision_post(version=0, **overrides):
    data = {
        "section-version": str(version),
        "section-visibility": "public",
        "section-narrative_md": "A *green* city.",
        "section-ambition_md": "Neutral by 2030.",
    }
    data.update(overrides)
    return data


def rows_post(kind_fields: list[dict], version=0, visibility="public", **section):
    data = {
        "section-version": str(version),
        "section-visibility": visibility,
        "section-narrative_md": "",
        "rows-TOTAL_FORMS": str(len(kind_fields)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "60",
    }
    data.update({f"section-{key}": value for key, value in section.items()})
    for index, row in enumerate(kind_fields):
        data.update({f"rows-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def editor_client(client, make_person):
    client.force_login(make_person("editor"))
    return client


def test_editor_saves_vision_and_sees_it_on_the_dossier(editor_client, city):
    response = editor_client.post(edit_url(city), vision_post())
    assert response.status_code == 302
    page = editor_client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert "A <em>green</em> city." in page and "Neutral by 2030." in page


def test_edit_form_shows_current_content(editor_client, city):
    save_section(city, "vision", "public", "Existing text")
    page = editor_client.get(edit_url(city)).content.decode()
    assert "Existing text" in page and 'name="section-version" value="1"' in page


def test_viewer_cannot_open_or_post_the_edit_form(client, make_person, city):
    client.force_login(make_person("viewer"))
    refused = client.get(edit_url(city))
    assert refused.status_code == 403
    assert "Only the city" in refused.content.decode()
    assert client.post(edit_url(city), vision_post()).status_code == 403
    assert not DossierSection.objects.exists()


def test_editor_of_another_city_cannot_edit(client, make_person, city):
    client.force_login(make_person("editor_of_other_city"))
    assert client.post(edit_url(city), vision_post()).status_code == 403
    assert not DossierSection.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, city):
    response = client.post(edit_url(city), vision_post())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_unknown_section_and_city_are_not_found(editor_client, city):
    assert editor_client.get(edit_url(city, "secrets")).status_code == 404
    assert (
        editor_client.get(reverse("cities:section_edit", args=["atlantis", "vision"])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("section-narrative_md", "x" * 20001, "at most 20000 characters"),
        ("section-visibility", "everyone", "Select a valid choice"),
        ("section-version", "abc", "This form was damaged or is out of date"),
        ("section-version", "", "This form was damaged or is out of date"),
    ],
)
def test_bad_section_input_is_refused_with_a_message(editor_client, city, field, value, message):
    response = editor_client.post(edit_url(city), vision_post(**{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DossierSection.objects.exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "greater than or equal to 0"),
        ("lots", "Enter a number"),
        ("99999999999999999999", "no more than 16 digits"),
        ("12.5", "no more than 0 decimal places"),
    ],
)
def test_bad_money_is_refused(editor_client, city, amount, message):
    data = rows_post(
        [{"field_of_action": "energy", "amount_eur": amount, "note": ""}],
        total_investment_eur="100",
    )
    response = editor_client.post(edit_url(city, "investment"), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not InvestmentNeed.objects.exists() and not DossierSection.objects.exists()


def test_breakdown_above_the_total_is_refused(editor_client, city):
    rows = [
        {"field_of_action": "energy", "amount_eur": "70", "note": ""},
        {"field_of_action": "mobility", "amount_eur": "50", "note": ""},
    ]
    response = editor_client.post(
        edit_url(city, "investment"), rows_post(rows, total_investment_eur="100")
    )
    assert response.status_code == 422
    assert "add up to €120, more than the total of €100" in response.content.decode()
    assert not InvestmentNeed.objects.exists()


def test_duplicate_rows_are_refused(editor_client, city):
    row = {
        "name": "Utility",
        "type": "utility",
        "level": "local",
        "role": "",
        "influence": "high",
        "interest": "low",
    }
    response = editor_client.post(edit_url(city, "stakeholders"), rows_post([row, row]))
    assert response.status_code == 422
    assert "Two rows have the same Name “Utility”" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_too_many_rows_are_refused(editor_client, city):
    rows = [{"name": f"S{n}", "type": "utility", "level": "local", "influence": "high", "interest": "low"}
            for n in range(61)]  # fmt: skip
    response = editor_client.post(edit_url(city, "stakeholders"), rows_post(rows))
    assert response.status_code == 422
    assert not Stakeholder.objects.exists()


def test_script_in_markdown_is_stored_harmless(editor_client, city):
    editor_client.post(
        edit_url(city), vision_post(**{"section-narrative_md": "<script>alert('x')</script>Hi"})
    )
    section = DossierSection.objects.get(city=city, kind="vision")
    assert "<script" not in section.narrative_html
    page = editor_client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert "<script>alert" not in page


def test_rows_are_saved_and_deleted_rows_dropped(editor_client, city):
    rows = [
        {
            "name": "Utility",
            "type": "utility",
            "level": "local",
            "influence": "high",
            "interest": "low",
        },
        {
            "name": "Gone",
            "type": "business",
            "level": "local",
            "influence": "low",
            "interest": "low",
            "DELETE": "on",
        },
    ]
    assert editor_client.post(edit_url(city, "stakeholders"), rows_post(rows)).status_code == 302
    assert list(Stakeholder.objects.values_list("name", flat=True)) == ["Utility"]


def test_second_editor_sees_a_conflict_with_the_other_version(client, make_person, city):
    first = make_person("editor")
    save_section(city, "vision", "public", "Base", by=first)
    save_section(city, "vision", "public", "Their newer text", version=1, by=first)
    client.force_login(make_person("editor"))
    response = client.post(
        edit_url(city), vision_post(version=1, **{"section-narrative_md": "My text"})
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this section" in page
    assert "Their newer text" in page and "My text" in page
    assert 'name="section-version" value="2"' in page
    assert DossierSection.objects.get(city=city, kind="vision").narrative_md == "Their newer text"


def test_history_lists_who_changed_what(client, make_person, city):
    editor = make_person("editor")
    client.force_login(editor)
    client.post(edit_url(city), vision_post())
    page = client.get(
        reverse("cities:section_history", args=[city.slug, "vision"])
    ).content.decode()
    assert editor.display_name in page and "Vision rewritten" in page
    assert SectionRevision.objects.count() == 1


def test_history_of_a_team_section_is_hidden_from_outsiders(client, make_person, city):
    save_section(city, "barriers", "team")
    client.force_login(make_person("member"))
    assert (
        client.get(reverse("cities:section_history", args=[city.slug, "barriers"])).status_code
        == 404
    )


def test_the_team_reads_old_versions_in_the_history(client, make_person, city):
    save_section(city, "vision", "team", "Draft only the team saw")
    save_section(city, "vision", "public", "Published text", version=1)
    url = reverse("cities:section_history", args=[city.slug, "vision"])
    assert "Draft only the team saw" not in client.get(url).content.decode()
    client.force_login(make_person("viewer"))
    assert "Draft only the team saw" in client.get(url).content.decode()
