"""Saving dossier sections: versions, history and concurrent edits (the service layer)."""

from decimal import Decimal

import pytest

from cityzero.cities.models import DossierSection, SectionRevision, Stakeholder, Visibility
from cityzero.cities.sections import SPECS, change_sentences
from cityzero.cities.services import EditConflict, SectionInput, update_section
from tests.factories import UserFactory, save_section, stakeholder

pytestmark = pytest.mark.django_db

STAKEHOLDER = stakeholder(role="Heat", interest="medium")


def test_first_save_creates_version_one_with_history(city):
    author = UserFactory()
    revision = save_section(city, "vision", "public", "We **will**.", by=author)
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
    save_section(city, "vision", "public", "One", by=first)
    save_section(city, "vision", "public", "Two", version=1, by=first)
    with pytest.raises(EditConflict) as raised:
        save_section(city, "vision", "public", "Mine", version=1, by=second)
    section = DossierSection.objects.get(city=city, kind="vision")
    assert (raised.value.current.version, section.narrative_md, section.revisions.count()) == (
        2,
        "Two",
        2,
    )


def test_two_first_saves_conflict(city):
    save_section(city, "vision", "public", "A")
    with pytest.raises(EditConflict):
        save_section(city, "vision", "public", "B")


def test_saving_unchanged_content_writes_no_revision(city):
    user = UserFactory()
    save_section(city, "vision", "public", "Same", by=user)
    assert save_section(city, "vision", "public", "Same", version=1, by=user) is None
    assert SectionRevision.objects.count() == 1


def test_rows_are_replaced_and_the_history_names_them(city):
    user = UserFactory()
    save_section(city, "stakeholders", "public", rows=[STAKEHOLDER], by=user)
    changed = {**STAKEHOLDER, "influence": "low"}
    agency = {**STAKEHOLDER, "name": "Agency"}
    revision = save_section(
        city, "stakeholders", "team", rows=[changed, agency], version=1, by=user
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
    save_section(city, "stakeholders", "public", rows=[STAKEHOLDER], by=user)
    revision = save_section(city, "stakeholders", "public", rows=[], version=1, by=user)
    assert change_sentences(revision.changes, SPECS["stakeholders"]) == ["Removed “Utility”"]
    assert Stakeholder.objects.count() == 0


def test_investment_history_shows_amounts_and_field_labels(city):
    need = {"field_of_action": "mobility", "amount_eur": Decimal(500), "note": ""}
    revision = save_section(
        city, "investment", Visibility.PUBLIC, total_investment_eur=Decimal(1_500_000), rows=[need]
    )
    assert change_sentences(revision.changes, SPECS["investment"]) == [
        "Visible to: (empty) → Public",
        "Total investment need (€): (empty) → €1,500,000",
        "Added “Mobility & transport”",
    ]
