"""Saving dossier sections: versions, history and concurrent edits (the service layer)."""

from decimal import Decimal

import pytest

from cityzero.cities.models import DossierSection, SectionRevision, Stakeholder, Visibility
from cityzero.cities.sections import SPECS, change_sentences
from cityzero.cities.services import EditConflict, SectionInput, update_section
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STAKEHOLDER = {"name": "Utility", "type": "utility", "level": "local", "role": "Heat",
               "influence": "high", "interest": "medium"}  # fmt: skip


def test_first_save_creates_version_one_with_history(city):
    author = UserFactory()
    revision = update_section(
        city, "vision", data=SectionInput(visibility="public", narrative_md="We **will**."),
        base_version=0, by=author,
    )  # fmt: skip
    section = DossierSection.objects.get(city=city, kind="vision")
    assert (section.version, section.updated_by, section.narrative_html) == (
        1, author, "<p>We <strong>will</strong>.</p>"
    )  # fmt: skip
    assert (revision.version, revision.author) == (1, author)


def test_markdown_is_sanitised_on_save(city):
    update_section(
        city, "vision",
        data=SectionInput(visibility="public", narrative_md='<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>'),
        base_version=0, by=UserFactory(),
    )  # fmt: skip
    html = DossierSection.objects.get(city=city, kind="vision").narrative_html
    assert (
        "<script" not in html
        and "javascript:" not in html
        and "onerror" not in html
        and "<img" not in html
    )


def test_saving_on_a_stale_version_raises_conflict_and_writes_nothing(city):
    first, second = UserFactory(), UserFactory()
    update_section(city, "vision", data=SectionInput("public", "One"), base_version=0, by=first)
    update_section(city, "vision", data=SectionInput("public", "Two"), base_version=1, by=first)
    with pytest.raises(EditConflict) as raised:
        update_section(
            city, "vision", data=SectionInput("public", "Mine"), base_version=1, by=second
        )
    section = DossierSection.objects.get(city=city, kind="vision")
    assert (raised.value.current.version, section.narrative_md, section.revisions.count()) == (
        2,
        "Two",
        2,
    )


def test_two_first_saves_conflict(city):
    update_section(
        city, "vision", data=SectionInput("public", "A"), base_version=0, by=UserFactory()
    )
    with pytest.raises(EditConflict):
        update_section(
            city, "vision", data=SectionInput("public", "B"), base_version=0, by=UserFactory()
        )


def test_saving_unchanged_content_writes_no_revision(city):
    user = UserFactory()
    update_section(city, "vision", data=SectionInput("public", "Same"), base_version=0, by=user)
    assert (
        update_section(city, "vision", data=SectionInput("public", "Same"), base_version=1, by=user)
        is None
    )
    assert SectionRevision.objects.count() == 1


def test_rows_are_replaced_and_the_history_names_them(city):
    user = UserFactory()
    update_section(
        city,
        "stakeholders",
        data=SectionInput("public", rows=[STAKEHOLDER]),
        base_version=0,
        by=user,
    )
    changed = {**STAKEHOLDER, "influence": "low"}
    agency = {**STAKEHOLDER, "name": "Agency"}
    revision = update_section(
        city,
        "stakeholders",
        data=SectionInput("team", rows=[changed, agency]),
        base_version=1,
        by=user,
    )
    assert list(Stakeholder.objects.values_list("name", "influence")) == [
        ("Utility", "low"),
        ("Agency", "high"),
    ]
    assert change_sentences(revision.changes, SPECS["stakeholders"]) == [
        "Visible to: Public → City team",
        "Changed “Utility” (influence)",
        "Added “Agency”",
    ]


def test_removed_rows_are_reported(city):
    user = UserFactory()
    update_section(
        city,
        "stakeholders",
        data=SectionInput("public", rows=[STAKEHOLDER]),
        base_version=0,
        by=user,
    )
    revision = update_section(
        city, "stakeholders", data=SectionInput("public", rows=[]), base_version=1, by=user
    )
    assert change_sentences(revision.changes, SPECS["stakeholders"]) == ["Removed “Utility”"]
    assert Stakeholder.objects.count() == 0


def test_investment_history_shows_amounts_and_field_labels(city):
    user = UserFactory()
    revision = update_section(
        city, "investment",
        data=SectionInput(Visibility.PUBLIC, total_investment_eur=Decimal(1_500_000),
                          rows=[{"field_of_action": "mobility", "amount_eur": Decimal(500), "note": ""}]),
        base_version=0, by=user,
    )  # fmt: skip
    assert change_sentences(revision.changes, SPECS["investment"]) == [
        "Visible to: (empty) → Public",
        "Total investment need (€): (empty) → €1,500,000",
        "Added “Mobility & transport”",
    ]
