import pytest

from cityzero.accounts.permissions import RULES, can
from cityzero.cities.models import DossierSection, Visibility
from tests.community.test_permissions import COMMUNITY_ACTIONS
from tests.contracts.test_permissions import CONTRACT_ACTIONS
from tests.finance.test_permissions import FINANCE_ACTIONS
from tests.inventories.test_permissions import INVENTORY_ACTIONS
from tests.knowledge.test_permissions import KNOWLEDGE_ACTIONS
from tests.monitoring.test_permissions import MONITORING_ACTIONS
from tests.programmes.test_permissions import PROGRAMME_ACTIONS
from tests.reviews.test_permissions import REVIEW_ACTIONS
from tests.support.test_permissions import SUPPORT_ACTIONS

TEAM_READERS = {"viewer", "editor", "coordinator", "advisor_of_city", "staff"}
# Expected answer per action and role, for `city` (the city the roles refer to).
EXPECTED = {
    "dossier.edit": {"editor", "coordinator", "staff"},
    "team.manage": {"coordinator", "staff"},
    "team.view": TEAM_READERS,
    "city.assign_advisor": {"staff"},
    "city.edit_reference_data": {"staff"},
    "transition.report": {"editor", "coordinator", "staff"},
    "city.assess_needs": {"advisor_of_city", "staff"},
    "city.read_assessment": TEAM_READERS,
}
SECTION_READERS = {
    Visibility.PUBLIC: {
        "anonymous", "member", "viewer", "editor", "coordinator", "editor_of_other_city",
        "advisor_of_city", "advisor_elsewhere", "reviewer", "officer", "staff",
    },
    Visibility.MEMBERS: {
        "member", "viewer", "editor", "coordinator", "editor_of_other_city",
        "advisor_of_city", "advisor_elsewhere", "reviewer", "officer", "staff",
    },
    Visibility.TEAM: {"viewer", "editor", "coordinator", "advisor_of_city", "staff"},
}  # fmt: skip
ROLES = sorted(SECTION_READERS[Visibility.PUBLIC])


def test_every_rule_is_covered_by_the_expectations():
    assert set(RULES) == set(EXPECTED) | {
        "dossier.view_section",
        "dossier.view_history",
        "dossier.view_old_versions",
        *INVENTORY_ACTIONS,
        *CONTRACT_ACTIONS,
        *KNOWLEDGE_ACTIONS,
        *FINANCE_ACTIONS,
        *REVIEW_ACTIONS,
        *SUPPORT_ACTIONS,
        *PROGRAMME_ACTIONS,
        *COMMUNITY_ACTIONS,
        *MONITORING_ACTIONS,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_city_actions_follow_the_role(make_person, city, role, action):
    assert can(make_person(role), action, city) is (role in EXPECTED[action])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("action", ["dossier.view_section", "dossier.view_history"])
def test_section_readers_follow_the_visibility(make_person, city, role, visibility, action):
    section = DossierSection(city=city, kind="vision", visibility=visibility)
    assert can(make_person(role), action, section) is (role in SECTION_READERS[visibility])


@pytest.mark.django_db
def test_inactive_user_has_no_rights(make_person, city):
    editor = make_person("editor")
    editor.is_active = False
    assert can(editor, "dossier.edit", city) is False


def test_unknown_action_is_an_error():
    with pytest.raises(ValueError, match="Unknown permission action"):
        can(None, "dossier.destroy", object())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_old_versions_are_read_only_by_the_team(make_person, city, role):
    section = DossierSection(city=city, kind="vision", visibility=Visibility.PUBLIC)
    assert can(make_person(role), "dossier.view_old_versions", section) is (role in TEAM_READERS)
