"""Every role × every write endpoint: allowed where the permission table says, refused elsewhere."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import AdvisorAssignment, CityMembership, CityRole, Invitation
from cityzero.cities.models import DossierSection, NeedsAssessment
from cityzero.cities.services import NeedsInput, record_needs_assessment
from cityzero.contracts.models import REDUCTION_FIELDS, Action, Iteration, ModuleComment
from cityzero.contracts.services import save_part, start_contract
from cityzero.core.uploads import PDF
from cityzero.finance.models import SavedResult
from cityzero.finance.reference import load_funding
from cityzero.finance.services import save_result
from cityzero.inventories.interchange import write_csv
from cityzero.inventories.models import Inventory
from cityzero.inventories.services import add_source_document, create_inventory
from cityzero.knowledge.models import Bookmark, Entry, EntryComment, EntryStatus
from cityzero.reviews.models import Assignment
from cityzero.reviews.services import take_step
from cityzero.support.models import ExpertRequest
from cityzero.support.services import set_consent
from cityzero.transition.models import StepProgress
from tests.cities.test_needs import form_data as needs_form_data
from tests.community.matrix import CommunityWrites
from tests.conftest import ROLE_NAMES
from tests.contracts.conftest import complete, make_baseline
from tests.contracts.test_interchange import row, xlsx
from tests.core.test_uploads import PDF_BYTES
from tests.factories import (
    AdvisorAssignmentFactory,
    LabelRoundFactory,
    MembershipFactory,
    UserFactory,
)
from tests.finance.conftest import RETROFIT
from tests.inventories.test_summary import GAS_HEATING
from tests.knowledge.factories import make_entry, taxonomy
from tests.knowledge.test_contribute import edit_data, form_data
from tests.monitoring.matrix import MonitoringWrites
from tests.programmes.matrix import ProgrammeWrites
from tests.support.factories import answered, ask, routed
from tests.support.factories import expert as support_expert


# The programmes', the community's and monitoring's writes are in the matrix.py of their tests.
@dataclass(frozen=True)
class Endpoint(ProgrammeWrites, CommunityWrites, MonitoringWrites):
    name: str
    allowed: frozenset[str]
    refused_status: int = 403  # for signed-in people; anonymous ones are sent to sign in
    refused_overrides: tuple[tuple[str, int], ...] = ()  # (role, status) where it differs

    def refused_status_for(self, role: str) -> int:
        return dict(self.refused_overrides).get(role, self.refused_status)

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

    # --- the review workflow: the "reviewer" role is assigned to review the iteration ---

    def _iteration_at(self, city, status: str):
        """A public iteration whose checklist passes, brought to ``status`` by the workflow."""
        iteration = start_contract(city, baseline=make_baseline(city), by=None)
        Iteration.objects.filter(pk=iteration.pk).update(visibility="public")
        complete(iteration)
        way = {"draft": [], "submitted": ["submit"], "feedback": ["submit", "open_feedback"],
               "commission": ["submit", "open_feedback", "forward"]}[status]  # fmt: skip
        for code in way:
            take_step(iteration, code, by=None)
            if code == "submit":
                for reviewer in get_user_model().objects.filter(platform_role="reviewer"):
                    for stage in ("feedback", "commission"):
                        Assignment.objects.create(iteration=iteration, reviewer=reviewer,
                                                  stage=stage, expertise="thematic",
                                                  due_on=timezone.localdate())  # fmt: skip
        iteration.refresh_from_db()
        return iteration

    def _step(self, client, city, status: str, code: str, **data):
        iteration = self._iteration_at(city, status)
        fields = {f"{code}-{name}": value for name, value in data.items()}
        url = reverse("reviews:submission", args=[city.slug, 1])
        response = client.post(url, {"action": "step", "step": code, **fields})
        return response, lambda: iteration.transitions.filter(step=code).exists()

    def _submit_contract(self, client, city):
        return self._step(client, city, "draft", "submit")

    def _withdraw_submission(self, client, city):
        return self._step(client, city, "submitted", "withdraw", message="Not ready.")

    def _open_feedback(self, client, city):
        return self._step(client, city, "submitted", "open_feedback")

    def _request_changes(self, client, city):
        return self._step(client, city, "feedback", "request_changes", message="Cost B-2.")

    def _forward_to_commission(self, client, city):
        return self._step(client, city, "feedback", "forward")

    def _request_revisions(self, client, city):
        return self._step(client, city, "commission", "request_revisions", message="Fix A-1.")

    def _endorse(self, client, city):
        round_ = LabelRoundFactory()
        return self._step(client, city, "commission", "endorse", label_round=round_.pk)

    def _assign_reviewer(self, client, city):
        iteration = self._iteration_at(city, "submitted")
        expert = UserFactory(platform_role="reviewer")
        data = {"action": "assign", "reviewer": expert.pk, "expertise": "eib", "stage": "commission",
                "module": "", "due_on": timezone.localdate().isoformat()}  # fmt: skip
        response = client.post(reverse("reviews:submission", args=[city.slug, 1]), data)
        return response, lambda: iteration.assignments.filter(reviewer=expert).exists()

    def _remove_reviewer(self, client, city):
        iteration = self._iteration_at(city, "submitted")
        task = Assignment.objects.create(iteration=iteration, reviewer=UserFactory(
            platform_role="advisor"), stage="feedback", expertise="advisor",
            due_on=timezone.localdate())  # fmt: skip
        data = {"action": "unassign", "assignment": task.pk}
        response = client.post(reverse("reviews:submission", args=[city.slug, 1]), data)
        return response, lambda: not Assignment.objects.filter(pk=task.pk).exists()

    def _score_review(self, client, city):
        iteration = self._iteration_at(city, "feedback")
        task = iteration.assignments.filter(stage="feedback").first() or Assignment.objects.create(
            iteration=iteration, reviewer=UserFactory(platform_role="reviewer"), stage="feedback",
            expertise="thematic", due_on=timezone.localdate())  # fmt: skip
        data = {"ambition_score": "4", "ambition_why": "Sector targets at 80%.", "action": "save"}
        response = client.post(reverse("reviews:scorecard", args=[task.pk]), data)
        return response, lambda: task.scores.exists()

    def _thread(self, city):
        iteration = self._public_iteration(city)
        return iteration, ModuleComment.objects.create(
            iteration=iteration, module="actions", body="Costs?", body_html="<p>Costs?</p>"
        )

    def _reply_to_thread(self, client, city):
        _iteration, thread = self._thread(city)
        url = reverse("contracts:module", args=[city.slug, 1, "actions"])
        response = client.post(url, {"action": "reply", "thread": thread.pk, "body": "Here."})
        return response, lambda: thread.replies.exists()

    def _resolve_thread(self, client, city):
        _iteration, thread = self._thread(city)
        url = reverse("contracts:module", args=[city.slug, 1, "actions"])
        response = client.post(url, {"action": "resolve", "thread": thread.pk})
        return response, lambda: ModuleComment.objects.get(pk=thread.pk).resolved_at is not None

    def _admin_change_submitted_iteration(self, client, city):
        iteration = self._iteration_at(city, "submitted")
        data = {"visibility": "team", "target_year": "2030", "target_share": "50"}
        response = client.post(reverse("admin:contracts_iteration_change", args=[iteration.pk]),
                               data)  # fmt: skip
        return response, lambda: Iteration.objects.get(pk=iteration.pk).target_share == 50

    # --- the Knowledge Repository: entries contributed by someone outside the matrix ---

    def _contribute_entry(self, client, city):
        taxonomy()
        response = client.post(reverse("knowledge:contribute"), form_data(title="Heat pumps"))
        return response, lambda: Entry.objects.filter(title="Heat pumps").exists()

    def _edit_entry(self, client, city):
        entry = make_entry("Heat pumps", ("buildings",), contributor=UserFactory())
        url = reverse("knowledge:edit", args=[entry.slug])
        response = client.post(url, edit_data(entry, summary="Changed."))
        return response, lambda: Entry.objects.get(pk=entry.pk).summary == "Changed."

    def _attach_entry_file(self, client, city):
        entry = make_entry("Heat pumps", ("buildings",), contributor=UserFactory(),
                           status=EntryStatus.PENDING)  # fmt: skip
        data = {**edit_data(entry), "files": [SimpleUploadedFile("plan.pdf", PDF_BYTES)]}
        response = client.post(reverse("knowledge:edit", args=[entry.slug]), data)
        return response, lambda: entry.files.exists()

    def _moderate_entry(self, client, city):
        entry = make_entry("Heat pumps", ("buildings",), contributor=UserFactory(),
                           status=EntryStatus.PENDING)  # fmt: skip
        data = {"entry": entry.pk, "decision": "approve", "note": ""}
        response = client.post(reverse("knowledge:moderation"), data)
        return response, lambda: Entry.objects.get(pk=entry.pk).status == EntryStatus.PUBLISHED

    def _import_entries(self, client, city):
        taxonomy()
        data = (b"slug,title,summary,body,kind,language,year,organisation,licence,tags,cities,"
                b"links\n,Imported heat,S,,guide,en,,,,energy,,\n")  # fmt: skip
        upload = SimpleUploadedFile("entries.csv", data)
        response = client.post(reverse("knowledge:curate"), {"file": upload})
        return response, lambda: Entry.objects.filter(title="Imported heat").exists()

    def _report_transition_progress(self, client, city):
        url = reverse("transition:city_step", args=[city.slug, "political-commitment"])
        data = {"version": "0", "status": "done", "note": "Council decision 2023/117.",
                "evidence_url": "https://example.org/decision"}  # fmt: skip
        response = client.post(url, data)
        return response, lambda: StepProgress.objects.filter(city=city, status="done").exists()

    def _comment_on_entry(self, client, city):
        entry = make_entry("Heat pumps", ("buildings",))
        response = client.post(reverse("knowledge:comment", args=[entry.slug]), {"body": "Useful."})
        return response, lambda: EntryComment.objects.filter(entry=entry).exists()

    def _bookmark_entry(self, client, city):
        entry = make_entry("Heat pumps", ("buildings",))
        response = client.post(reverse("knowledge:bookmark", args=[entry.slug]))
        return response, lambda: Bookmark.objects.filter(entry=entry).exists()

    # --- the Finance Guidance Tool: results saved to the city ---

    def _funding_result(self, city, *, public: bool) -> SavedResult:
        load_funding()
        return save_result(city, answers=RETROFIT, title="Schools", public=public, by=None)

    def _save_funding_result(self, client, city):
        load_funding()
        data = {**RETROFIT, "city": city.pk, "title": "School retrofits"}
        response = client.post(reverse("finance:save"), data)
        return response, lambda: SavedResult.objects.filter(city=city).exists()

    def _unpublish_funding_result(self, client, city):
        saved = self._funding_result(city, public=True)
        response = client.post(reverse("finance:visibility", args=[saved.token]), {})
        return response, lambda: not SavedResult.objects.get(pk=saved.pk).public

    def _delete_funding_result(self, client, city):
        saved = self._funding_result(city, public=False)
        response = client.post(reverse("finance:delete", args=[saved.token]))
        return response, lambda: not SavedResult.objects.filter(pk=saved.pk).exists()

    def _admin_edit_city(self, client, city):
        data = {"name": "Renamed", "slug": city.slug, "country": city.country_id,
                "mission_status": city.mission_status, "population": "1", "population_source": "",
                "latitude": "", "longitude": "", "geonames_id": ""}  # fmt: skip
        response = client.post(reverse("admin:cities_city_change", args=[city.pk]), data)
        return response, lambda: type(city).objects.get(pk=city.pk).name == "Renamed"

    # --- human support: advisors, the needs assessment, Ask an expert ---

    def _assign_advisor(self, client, city):
        advisor = UserFactory(platform_role="advisor")
        url = reverse("accounts:assign_advisor", args=[city.slug])
        response = client.post(url, {"advisor": advisor.pk})
        return response, lambda: AdvisorAssignment.objects.filter(advisor=advisor).exists()

    def _remove_advisor(self, client, city):
        assignment = AdvisorAssignmentFactory(city=city)
        url = reverse("accounts:remove_advisor", args=[city.slug, assignment.pk])
        response = client.post(url)
        return response, lambda: not AdvisorAssignment.objects.filter(pk=assignment.pk).exists()

    def _record_needs_assessment(self, client, city):
        response = client.post(reverse("cities:needs_new", args=[city.slug]), needs_form_data())
        return response, lambda: NeedsAssessment.objects.filter(city=city).exists()

    def _correct_needs_assessment(self, client, city):
        data = NeedsInput(date(2025, 10, 6), {"finance-budget": 1}, {})
        assessment = record_needs_assessment(city, data=data, by=None)
        url = reverse("cities:needs_edit", args=[city.slug, assessment.pk])
        response = client.post(url, {**needs_form_data(), "version": "1"})
        return response, lambda: NeedsAssessment.objects.get(pk=assessment.pk).version == 2

    def _ask_expert(self, client, city):
        data = {"topic": "Heat planning", "question": "Where do we start?"}
        response = client.post(reverse("support:new", args=[city.slug]), data)
        return response, lambda: ExpertRequest.objects.filter(topic="Heat planning").exists()

    def _post_to_request(self, client, request, name: str, data=None):
        return client.post(reverse(f"support:{name}", args=[request.city.slug, request.pk]), data)

    def _reply_to_expert_request(self, client, city):
        request = routed(city)
        response = self._post_to_request(client, request, "reply", {"body": "Our budget: €2M."})
        return response, lambda: request.messages.exists()

    def _answer_expert_request(self, client, city):
        request = routed(city)
        data = {"body": "Use an EPC.", "kind": "answer"}
        response = self._post_to_request(client, request, "reply", data)
        return response, lambda: request.messages.filter(is_answer=True).exists()

    def _route_expert_request(self, client, city):
        request, person = ask(city), support_expert()
        response = self._post_to_request(client, request, "route", {"expert": person.pk})
        return response, lambda: ExpertRequest.objects.get(pk=request.pk).expert == person

    def _close_expert_request(self, client, city):
        request = routed(city)
        response = self._post_to_request(client, request, "close")
        return response, lambda: ExpertRequest.objects.get(pk=request.pk).status == "closed"

    def _consent_to_publish_answer(self, client, city):
        request = answered(city)
        response = self._post_to_request(client, request, "consent", {"consent": "on"})
        return response, lambda: ExpertRequest.objects.get(pk=request.pk).has_consent

    def _publish_answer(self, client, city):
        taxonomy()
        request = answered(city)
        set_consent(request, consent=True, by=request.requester)
        data = {"title": "Heat answer", "summary": "S", "body": "B", "tags": ["energy"]}
        response = self._post_to_request(client, request, "publish", data)
        return response, lambda: Entry.objects.filter(title="Heat answer").exists()


TEAM_MANAGERS = frozenset({"coordinator", "staff"})
# In the community's test group: the coordinator is an owner, the editor a moderator.
GROUP_OWNERS = frozenset({"coordinator", "staff"})
GROUP_KEEPERS = frozenset({"coordinator", "editor", "staff"})
CITY_VOICES = frozenset({"editor", "coordinator"})  # submitting is the city's own act
SIGNED_IN = frozenset(ROLE_NAMES) - {"anonymous"}
CITY_TEAM = frozenset({"viewer", "editor", "coordinator"})
CITY_ADVISORS = frozenset({"advisor_of_city", "staff"})
# Those who see an expert request are refused what they may not do with a 403, not a 404.
REQUEST_READERS = tuple((role, 403) for role in sorted(CITY_TEAM | {"staff"}))
# The team's readers who may see the monitoring plan but not change it.
MONITORING_READERS = (("viewer", 403), ("advisor_of_city", 403), ("staff", 403))
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
    Endpoint("reply_to_thread", frozenset({"editor", "coordinator", "staff", "advisor_of_city"})),
    Endpoint("resolve_thread", frozenset({"staff"})),  # or the thread's author
    Endpoint("submit_contract", CITY_VOICES),
    Endpoint("withdraw_submission", CITY_VOICES),
    Endpoint("open_feedback", frozenset({"staff"})),
    Endpoint("request_changes", frozenset({"staff", "reviewer"})),
    Endpoint("forward_to_commission", frozenset({"staff"})),
    Endpoint("request_revisions", frozenset({"officer"})),
    Endpoint("endorse", frozenset({"officer"})),
    Endpoint("assign_reviewer", frozenset({"staff"})),
    Endpoint("remove_reviewer", frozenset({"staff"})),
    # Someone else's review task does not exist for you, unless you oversee reviews.
    Endpoint(
        "score_review",
        frozenset({"reviewer"}),
        refused_status=404,
        refused_overrides=(("staff", 403), ("officer", 403)),
    ),
    Endpoint("contribute_entry", SIGNED_IN),
    Endpoint("edit_entry", frozenset({"staff"})),  # a published entry: staff curate it
    # A pending entry is seen only by its contributor and staff.
    Endpoint("attach_entry_file", frozenset({"staff"}), refused_status=404),
    Endpoint("moderate_entry", frozenset({"staff"})),
    Endpoint("import_entries", frozenset({"staff"})),
    Endpoint("report_transition_progress", frozenset({"editor", "coordinator", "staff"})),
    # Progress reports are the city's own statements: not even staff make them.
    Endpoint("report_action_progress", CITY_VOICES),
    Endpoint("record_indicator_value", CITY_VOICES),
    Endpoint("set_up_indicator", CITY_VOICES),
    Endpoint("change_monitoring_plan", CITY_VOICES, 404, MONITORING_READERS),
    Endpoint("save_funding_result", frozenset({"editor", "coordinator", "staff"})),
    Endpoint("unpublish_funding_result", frozenset({"editor", "coordinator", "staff"})),
    # A team-only result does not exist for those outside the team, its advisors and staff.
    Endpoint(
        "delete_funding_result",
        frozenset({"editor", "coordinator", "staff"}),
        refused_status=404,
        refused_overrides=(("viewer", 403), ("advisor_of_city", 403)),
    ),
    Endpoint("comment_on_entry", SIGNED_IN),
    Endpoint("bookmark_entry", SIGNED_IN),
    Endpoint("assign_advisor", frozenset({"staff"})),
    Endpoint("remove_advisor", frozenset({"staff"})),
    Endpoint("record_needs_assessment", CITY_ADVISORS),
    Endpoint("correct_needs_assessment", CITY_ADVISORS),
    Endpoint("ask_expert", CITY_TEAM),
    # A request exists only for the city's team, its expert and staff: a 404 for anyone else.
    Endpoint("reply_to_expert_request", CITY_TEAM | {"staff"}, refused_status=404),
    Endpoint("answer_expert_request", frozenset({"staff"}), 404, REQUEST_READERS),
    Endpoint("route_expert_request", frozenset({"staff"}), 404, REQUEST_READERS),
    Endpoint("close_expert_request", CITY_TEAM | {"staff"}, refused_status=404),
    Endpoint("consent_to_publish_answer", CITY_VOICES, 404, REQUEST_READERS),
    Endpoint("publish_answer", frozenset({"staff"}), 404, REQUEST_READERS),
    Endpoint("start_application", CITY_VOICES),
    # A draft exists only for its cities' teams and the staff: a 404 for anyone else.
    Endpoint("save_application", CITY_VOICES, 404, (("viewer", 403), ("staff", 403))),
    Endpoint("submit_application", CITY_VOICES, 404, (("viewer", 403), ("staff", 403))),
    Endpoint("withdraw_application", CITY_VOICES, 404, (("viewer", 403), ("staff", 403))),
    Endpoint("decide_eligibility", frozenset({"staff"})),
    Endpoint("assign_assessor", frozenset({"staff"})),
    Endpoint("remove_assessor", frozenset({"staff"})),
    # Someone else's assessment does not exist for you; the staff read it but do not score it.
    Endpoint("score_application", frozenset({"reviewer"}), 404, (("staff", 403),)),
    Endpoint("select_applications", frozenset({"staff"})),
    Endpoint("create_pilot_activity", frozenset({"staff"})),
    Endpoint("submit_activity_report", CITY_VOICES),
    Endpoint("review_activity_report", frozenset({"staff"})),
    Endpoint("release_tranche", frozenset({"staff"})),
    Endpoint("create_twinning_group", frozenset({"staff"})),
    Endpoint("submit_deliverable", CITY_VOICES),
    # A private group; the city's team holds places in it (tests/community/matrix.py).
    Endpoint("open_group", frozenset({"staff"})),
    Endpoint("change_group_settings", GROUP_OWNERS),
    Endpoint("join_group", SIGNED_IN - CITY_TEAM),  # a public group; the team are in it
    Endpoint("ask_to_join_group", SIGNED_IN - CITY_TEAM),
    Endpoint("accept_group_invitation", SIGNED_IN - CITY_TEAM),
    Endpoint("leave_group", CITY_TEAM),
    Endpoint("invite_to_group", GROUP_KEEPERS),
    Endpoint("answer_join_request", GROUP_KEEPERS),
    Endpoint("withdraw_group_invitation", GROUP_KEEPERS),
    Endpoint("change_group_role", GROUP_OWNERS),
    Endpoint("ban_from_group", GROUP_KEEPERS),
    Endpoint("lift_group_ban", GROUP_KEEPERS),
    Endpoint("start_discussion", CITY_TEAM | {"staff"}),
    Endpoint("reply_in_discussion", CITY_TEAM | {"staff"}),
    Endpoint("share_group_file", CITY_TEAM | {"staff"}),
    Endpoint("announce_group_event", GROUP_KEEPERS),
    Endpoint("announce_platform_event", frozenset({"staff"})),
    Endpoint("change_event", GROUP_KEEPERS),
    Endpoint("cancel_event", GROUP_KEEPERS),
    Endpoint("register_for_event", CITY_TEAM | {"staff"}),
    Endpoint("cancel_event_registration", CITY_TEAM | {"staff"}),
    # A private group's post is not found by those who may not read it.
    Endpoint("report_post", CITY_TEAM | {"staff"}, refused_status=404),
    Endpoint("moderate_post", GROUP_KEEPERS, 404, (("viewer", 403),)),
    Endpoint("dismiss_report", GROUP_KEEPERS),
    Endpoint("follow_topics", SIGNED_IN),
    Endpoint("edit_own_profile", SIGNED_IN),
    Endpoint("choose_notification_settings", SIGNED_IN),
    # The admin sends everyone who is not staff to its own login page.
    Endpoint("admin_edit_city", frozenset({"staff"}), refused_status=302),
    # Not even staff change a submitted iteration.
    Endpoint(
        "admin_change_submitted_iteration",
        frozenset(),
        refused_status=302,
        refused_overrides=(("staff", 403),),
    ),
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
            expected = endpoint.refused_status_for(role)
            assert response.status_code == expected
            if expected == 302:
                assert "login" in response.url
        assert not took_effect()
