"""Every role × every write endpoint: allowed where the permission table says, refused elsewhere."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityMembership, CityRole, Invitation
from cityzero.cities.models import DossierSection
from cityzero.contracts.models import REDUCTION_FIELDS, Action, Iteration
from cityzero.contracts.services import save_part, start_contract
from cityzero.core.uploads import PDF
from cityzero.inventories.interchange import write_csv
from cityzero.inventories.models import Inventory
from cityzero.inventories.services import add_source_document, create_inventory
from tests.conftest import ROLE_NAMES
from tests.contracts.test_interchange import row, xlsx
from tests.core.test_uploads import PDF_BYTES
from tests.factories import MembershipFactory
from tests.inventories.test_summary import GAS_HEATING


@dataclass(frozen=True)
class Endpoint:
    name: str
    allowed: frozenset[str]
    refused_status: int = 403  # for signed-in people; anonymous ones are sent to sign in

    def request(self, client, city):
        """Send the write; return a callable telling whether it took effect."""
        return getattr(self, f"_{self.name}")(client, city)

    def _edit_dossier(self, client, city):
        data = {"section-version": "0", "section-visibility": "public", "section-narrative_md": "x",
                "section-ambition_md": ""}  # fmt: skip
        response = client.post(reverse("cities:section_edit", args=[city.slug, "vision"]), data)
        return response, lambda: DossierSection.objects.filter(city=city).exists()

    def _invite(self, client, city):
        data = {"email": "new.person@example.org", "role": "viewer"}
        response = client.post(reverse("accounts:invite", args=[city.slug]), data)
        return response, lambda: Invitation.objects.filter(email="new.person@example.org").exists()

    def _change_role(self, client, city):
        member = MembershipFactory(city=city, role=CityRole.VIEWER)
        response = client.post(
            reverse("accounts:change_role", args=[city.slug, member.pk]), {"role": "editor"}
        )
        return response, lambda: CityMembership.objects.get(pk=member.pk).role == CityRole.EDITOR

    def _remove_member(self, client, city):
        member = MembershipFactory(city=city, role=CityRole.VIEWER)
        response = client.post(reverse("accounts:remove", args=[city.slug, member.pk]))
        return response, lambda: not CityMembership.objects.filter(pk=member.pk).exists()

    def _revoke_invitation(self, client, city):
        invitation = Invitation.objects.create(
            city=city,
            email="x@example.org",
            role="viewer",
            expires_at=timezone.now() + timedelta(days=1),
        )
        response = client.post(reverse("accounts:revoke", args=[city.slug, invitation.pk]))
        return response, lambda: Invitation.objects.get(pk=invitation.pk).revoked_at is not None

    def _accept_invitation(self, client, city):
        """Only the invited address may accept; the matrix's people are all someone else."""
        invitation = Invitation.objects.create(
            city=city,
            email="invitee@example.org",
            role="editor",
            expires_at=timezone.now() + timedelta(days=1),
        )
        response = client.post(reverse("accounts:invitation", args=[invitation.token]))
        return response, lambda: Invitation.objects.get(pk=invitation.pk).accepted_at is not None

    def _create_inventory(self, client, city):
        data = {"year": "2023", "gwp_set": "AR6", "visibility": "team"}
        response = client.post(reverse("inventories:list", args=[city.slug]), data)
        return response, lambda: Inventory.objects.filter(city=city, year=2023).exists()

    def _import_inventory(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        upload = SimpleUploadedFile("rows.csv", write_csv([GAS_HEATING]))
        response = client.post(
            reverse("inventories:import", args=[city.slug, 2022]), {"file": upload}
        )
        return response, lambda: inventory.rows.exists()

    def _edit_inventory_rows(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        data = {
            "version": str(inventory.version),
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
        }
        data.update({f"rows-0-{name}": value for name, value in GAS_HEATING.items()})
        response = client.post(reverse("inventories:edit_rows", args=[city.slug, 2022]), data)
        return response, lambda: inventory.rows.exists()

    def _add_local_factor(self, client, city):
        create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        data = {"action": "add_factor", "factor-carrier": "district_heat", "factor-gas": "CO2e",
                "factor-value": "0.15", "factor-unit": "t CO2e/MWh", "factor-year": "2022",
                "factor-source": "Utility"}  # fmt: skip
        response = client.post(reverse("inventories:boundaries", args=[city.slug, 2022]), data)
        return response, lambda: city.local_factors.exists()

    def _add_exclusion(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        data = {"action": "add_exclusion", "exclusion-kind": "eu_ets",
                "exclusion-gpc_ref": "I.3.1", "exclusion-reason": "Steelworks (EU ETS)"}  # fmt: skip
        response = client.post(reverse("inventories:boundaries", args=[city.slug, 2022]), data)
        return response, lambda: inventory.exclusions.exists()

    def _attach_source_document(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        data = {"action": "add", "title": "Gas sales",
                "file": SimpleUploadedFile("gas.pdf", PDF_BYTES)}  # fmt: skip
        response = client.post(reverse("inventories:sources", args=[city.slug, 2022]), data)
        return response, lambda: inventory.documents.exists()

    def _remove_source_document(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        upload = SimpleUploadedFile("gas.pdf", PDF_BYTES)
        upload.kind = PDF
        document = add_source_document(inventory, title="Gas sales", upload=upload, by=None)
        data = {"action": "remove", "pk": document.pk}
        response = client.post(reverse("inventories:sources", args=[city.slug, 2022]), data)
        return response, lambda: not inventory.documents.exists()

    def _start_contract(self, client, city):
        response = client.post(reverse("contracts:home", args=[city.slug]), {"action": "start"})
        return response, lambda: Iteration.objects.filter(contract__city=city).exists()

    def _public_iteration(self, city):
        iteration = start_contract(city, baseline=None, by=None)
        Iteration.objects.filter(pk=iteration.pk).update(visibility="public")
        return iteration

    def _edit_contract_module(self, client, city):
        iteration = self._public_iteration(city)
        data = {"action": "save", "module_version": "0", "fields-next_steps": "Next: heat plan"}
        url = reverse("contracts:module", args=[city.slug, 1, "outlook"])
        response = client.post(url, data)
        return response, lambda: iteration.modules.filter(module="outlook").exists()

    def _change_contract_settings(self, client, city):
        iteration = self._public_iteration(city)
        iteration.refresh_from_db()
        data = {"version": str(iteration.version), "target_share": "90", "target_year": "2030",
                "visibility": "public", "baseline": ""}  # fmt: skip
        response = client.post(reverse("contracts:overview", args=[city.slug, 1]), data)
        return response, lambda: Iteration.objects.get(pk=iteration.pk).target_share == 90

    def _add_contract_action(self, client, city):
        iteration = self._public_iteration(city)
        data = {"action": "add", "part-name": "Retrofits", "part-status": "planned",
                **{f"part-reduction_{s}": "0" for s in REDUCTION_FIELDS}}  # fmt: skip
        url = reverse("contracts:module", args=[city.slug, 1, "actions"])
        response = client.post(url, data)
        return response, lambda: iteration.actions.exists()

    def _delete_contract_action(self, client, city):
        iteration = self._public_iteration(city)
        action = Action(iteration=iteration, name="Retrofits")
        save_part(iteration, action, base_version=None, by=None)
        url = reverse("contracts:part", args=[city.slug, 1, "actions", action.key])
        response = client.post(url, {"action": "delete"})
        return response, lambda: not iteration.actions.exists()

    def _import_contract_actions(self, client, city):
        iteration = self._public_iteration(city)
        url = reverse("contracts:import_actions", args=[city.slug, 1])
        response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", xlsx([row()]))})
        return response, lambda: iteration.actions.exists()

    def _comment_on_contract(self, client, city):
        iteration = self._public_iteration(city)
        url = reverse("contracts:module", args=[city.slug, 1, "actions"])
        response = client.post(url, {"action": "comment", "body": "Costs?"})
        return response, lambda: iteration.comments.exists()

    def _finalise_inventory(self, client, city):
        inventory = create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
        response = client.post(reverse("inventories:finalise", args=[city.slug, 2022]))
        return response, lambda: Inventory.objects.get(pk=inventory.pk).is_final

    def _admin_edit_city(self, client, city):
        data = {"name": "Renamed", "slug": city.slug, "country": city.country_id,
                "mission_status": city.mission_status, "population": "1", "population_source": "",
                "latitude": "", "longitude": "", "geonames_id": ""}  # fmt: skip
        response = client.post(reverse("admin:cities_city_change", args=[city.pk]), data)
        return response, lambda: type(city).objects.get(pk=city.pk).name == "Renamed"


TEAM_MANAGERS = frozenset({"coordinator", "staff"})
ENDPOINTS = [
    Endpoint("edit_dossier", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("invite", TEAM_MANAGERS),
    Endpoint("change_role", TEAM_MANAGERS),
    Endpoint("remove_member", TEAM_MANAGERS),
    Endpoint("revoke_invitation", TEAM_MANAGERS),
    Endpoint("accept_invitation", frozenset(), refused_status=409),
    Endpoint("create_inventory", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("import_inventory", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("edit_inventory_rows", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("add_local_factor", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("add_exclusion", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("attach_source_document", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("remove_source_document", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("finalise_inventory", TEAM_MANAGERS),
    Endpoint("start_contract", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("edit_contract_module", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("change_contract_settings", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("add_contract_action", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("delete_contract_action", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("import_contract_actions", frozenset({"editor", "coordinator", "staff"})),
    Endpoint(
        "comment_on_contract", frozenset({"editor", "coordinator", "staff", "advisor_of_city"})
    ),
    # The admin sends everyone who is not staff to its own login page.
    Endpoint("admin_edit_city", frozenset({"staff"}), refused_status=302),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_write_endpoint_allows_exactly_the_expected_roles(
    client, make_person, city, role, endpoint, settings_without_mfa
):
    person = make_person(role)
    if person is not None:
        client.force_login(person)
    response, took_effect = endpoint.request(client, city)
    if role in endpoint.allowed:
        assert response.status_code == 302, response.content[:500]
        assert took_effect()
    else:
        if person is None:
            assert response.status_code == 302 and "login" in response.url
        else:
            assert response.status_code == endpoint.refused_status
            if endpoint.refused_status == 302:
                assert "login" in response.url
        assert not took_effect()
