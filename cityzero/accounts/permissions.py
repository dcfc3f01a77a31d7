"""The one place that answers "may this user do this to this object".

Views, the API and templates ask `can(user, action, obj)`; the authorization matrix test walks
`RULES`. A user's roles are read once per request and kept on the user object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cityzero.accounts.models import AdvisorAssignment, CityMembership, CityRole, PlatformRole
from cityzero.cities.models import City, DossierSection, Visibility
from cityzero.community.models import (
    KEEPERS,
    ContentStatus,
    Event,
    Group,
    GroupMembership,
    GroupRole,
    GroupVisibility,
    MembershipStatus,
    Post,
    Profile,
    SharedFile,
)
from cityzero.contracts.models import CommentSide, Iteration, IterationStatus, ModuleComment
from cityzero.finance.models import SavedResult
from cityzero.inventories.models import Inventory
from cityzero.knowledge.models import Entry, EntryStatus
from cityzero.monitoring.models import EvidenceFile
from cityzero.programmes.models import Application, Assessment, Call, PilotActivity, TwinningGroup
from cityzero.reviews.models import Assignment
from cityzero.support.models import ExpertRequest

# Platform roles that can be assigned to review a submission.
REVIEWER_ROLES = frozenset({PlatformRole.ADVISOR, PlatformRole.REVIEWER})
# City roles that write for the city (viewers only read).
EDITING_ROLES = frozenset({CityRole.COORDINATOR, CityRole.EDITOR})


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    user_id: int | None = None
    platform_role: str = PlatformRole.NONE
    city_roles: dict[int, str] = field(default_factory=dict)
    advised_city_ids: frozenset[int] = frozenset()
    # iteration id → the review stages this person is assigned to in it
    review_stages: dict[int, frozenset[str]] = field(default_factory=dict)
    # group id → (role, status): read on first use, as most pages never ask about groups
    group_places: "GroupPlaces | None" = field(default=None, compare=False, repr=False)

    @property
    def is_staff(self) -> bool:
        return self.platform_role == PlatformRole.STAFF

    @property
    def is_officer(self) -> bool:
        return self.platform_role == PlatformRole.COMMISSION_OFFICER

    def conflicted(self, city_id: int) -> bool:
        """A reviewer never reviews a city they belong to or advise."""
        return self.in_team(city_id) or self.advises(city_id)

    def reviews(self, iteration: Iteration, stage: str | None = None) -> bool:
        stages = self.review_stages.get(iteration.pk, frozenset())
        assigned = bool(stages) if stage is None else stage in stages
        return assigned and not self.conflicted(iteration.city_id)

    def city_role(self, city_id: int) -> str | None:
        return self.city_roles.get(city_id)

    def in_team(self, city_id: int) -> bool:
        return city_id in self.city_roles

    def advises(self, city_id: int) -> bool:
        return city_id in self.advised_city_ids

    def group_place(self, group_id: int) -> tuple[str, str] | None:
        """(role, status) of this person's place in the group, or None."""
        return self.group_places.get(group_id) if self.group_places is not None else None


class GroupPlaces:
    """A person's places in groups, read with one query the first time a rule asks."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self._places: dict[int, tuple[str, str]] | None = None

    def get(self, group_id: int) -> tuple[str, str] | None:
        if self._places is None:
            rows = GroupMembership.objects.filter(user_id=self.user_id).values_list(
                "group_id", "role", "status"
            )
            self._places = {group: (role, status) for group, role, status in rows}
        return self._places.get(group_id)


ANONYMOUS = Roles()
_CACHE_ATTRIBUTE = "_cityzero_roles"


def roles_of(user: Any) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = Roles(
            authenticated=True,
            user_id=user.pk,
            platform_role=user.platform_role,
            city_roles=dict(
                CityMembership.objects.filter(user=user).values_list("city_id", "role")
            ),
            advised_city_ids=frozenset(
                AdvisorAssignment.objects.filter(advisor=user).values_list("city_id", flat=True)
            ),
            review_stages=_review_stages(user) if user.platform_role in REVIEWER_ROLES else {},
            group_places=GroupPlaces(user.pk),
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def _review_stages(user: Any) -> dict[int, frozenset[str]]:
    stages: dict[int, set[str]] = {}
    for iteration_id, stage in Assignment.objects.filter(reviewer=user).values_list(
        "iteration_id", "stage"
    ):
        stages.setdefault(iteration_id, set()).add(stage)
    return {iteration_id: frozenset(found) for iteration_id, found in stages.items()}


def side_of(user: Any, city_id: int) -> str:
    """In whose name this person speaks in a city's contract discussion."""
    roles = roles_of(user)
    if roles.in_team(city_id):
        return CommentSide.CITY
    if roles.advises(city_id):
        return CommentSide.ADVISOR
    if roles.is_officer:
        return CommentSide.COMMISSION
    if roles.is_staff:
        return CommentSide.STAFF
    return CommentSide.REVIEWER


def forget_roles(user: Any) -> None:
    """Call after changing someone's memberships within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def visibilities_for(roles: Roles, city_id: int) -> set[str]:
    """The section visibilities this person may read in the given city."""
    levels = {Visibility.PUBLIC.value}
    if roles.authenticated:
        levels.add(Visibility.MEMBERS.value)
    if roles.is_staff or roles.in_team(city_id) or roles.advises(city_id):
        levels.add(Visibility.TEAM.value)
    return levels


def _may_read(roles: Roles, item: DossierSection | Inventory) -> bool:
    return item.visibility in visibilities_for(roles, item.city_id)


def _edits_for_city(roles: Roles, city_id: int) -> bool:
    return roles.is_staff or roles.city_role(city_id) in EDITING_ROLES


def _may_edit_dossier(roles: Roles, city: City) -> bool:
    return _edits_for_city(roles, city.pk)


def _may_edit_inventory(roles: Roles, inventory: Inventory) -> bool:
    return not inventory.is_final and _edits_for_city(roles, inventory.city_id)


def _may_finalise_inventory(roles: Roles, inventory: Inventory) -> bool:
    coordinator = roles.city_role(inventory.city_id) == CityRole.COORDINATOR
    return not inventory.is_final and (roles.is_staff or coordinator)


def _may_manage_team(roles: Roles, city: City) -> bool:
    return roles.is_staff or roles.city_role(city.pk) == CityRole.COORDINATOR


def _may_view_team(roles: Roles, city: City) -> bool:
    return roles.is_staff or roles.in_team(city.pk) or roles.advises(city.pk)


def _may_read_old_versions(roles: Roles, section: DossierSection) -> bool:
    # Old versions may hold text that was team-only then: only the team reads them back.
    city_id = section.city_id
    return roles.is_staff or roles.in_team(city_id) or roles.advises(city_id)


def _reads_submissions(roles: Roles, iteration: Iteration) -> bool:
    """Commission officers read every submitted iteration; reviewers those assigned to them."""
    return (roles.is_officer and not iteration.is_draft) or roles.reviews(iteration)


def _may_read_iteration(roles: Roles, iteration: Iteration) -> bool:
    # Every endorsed iteration is public (DOMAIN §3); drafts follow the city's choice.
    endorsed = iteration.status == IterationStatus.ENDORSED
    return (
        endorsed
        or iteration.visibility in visibilities_for(roles, iteration.city_id)
        or _reads_submissions(roles, iteration)
    )


def _may_edit_iteration(roles: Roles, iteration: Iteration) -> bool:
    return iteration.is_draft and _edits_for_city(roles, iteration.city_id)


def _may_comment_on_iteration(roles: Roles, iteration: Iteration) -> bool:
    city_id = iteration.city_id
    return (
        roles.is_staff
        or roles.advises(city_id)
        or _edits_for_city(roles, city_id)
        or _reads_submissions(roles, iteration)
    )


def _may_read_comments(roles: Roles, iteration: Iteration) -> bool:
    city_id = iteration.city_id
    return (
        roles.is_staff
        or roles.in_team(city_id)
        or roles.advises(city_id)
        or _reads_submissions(roles, iteration)
    )


def _may_resolve_comment(roles: Roles, comment: ModuleComment) -> bool:
    return roles.is_staff or (roles.user_id is not None and comment.author_id == roles.user_id)


def _speaks_for_city(roles: Roles, iteration: Iteration) -> bool:
    """Submitting and withdrawing are the city's own acts: its coordinators and editors."""
    return roles.city_role(iteration.city_id) in EDITING_ROLES


def _oversees_monitoring(roles: Roles, obj: object) -> bool:
    """Advisors (for the cities they advise) and staff follow implementation across cities."""
    return roles.is_staff or roles.platform_role == PlatformRole.ADVISOR


def _may_open_evidence(roles: Roles, evidence: EvidenceFile) -> bool:
    report = evidence.report
    return report.public or _may_view_team(roles, report.city)


def _may_give_feedback(roles: Roles, iteration: Iteration) -> bool:
    return roles.is_staff or roles.reviews(iteration, "feedback")


def _may_decide(roles: Roles, iteration: Iteration) -> bool:
    return roles.is_officer


def _may_score(roles: Roles, assignment: Assignment) -> bool:
    mine = roles.user_id is not None and assignment.reviewer_id == roles.user_id
    return mine and assignment.is_due and roles.reviews(assignment.iteration)


def _may_read_reviews(roles: Roles, iteration: Iteration) -> bool:
    return roles.is_staff or roles.is_officer or roles.reviews(iteration)


def _oversees_reviews(roles: Roles, obj: object) -> bool:
    return roles.is_staff or roles.is_officer


def _signed_in(roles: Roles, obj: object) -> bool:
    return roles.authenticated


def _may_edit_entry(roles: Roles, entry: Entry) -> bool:
    """Staff curate any entry; contributors change theirs until it is published."""
    own = roles.user_id is not None and entry.contributor_id == roles.user_id
    return roles.is_staff or (own and entry.status != EntryStatus.PUBLISHED)


def _may_read_entry(roles: Roles, entry: Entry) -> bool:
    own = roles.user_id is not None and entry.contributor_id == roles.user_id
    return entry.status == EntryStatus.PUBLISHED or roles.is_staff or own


def _is_staff(roles: Roles, obj: object) -> bool:
    return roles.is_staff


def _may_read_saved_result(roles: Roles, result: SavedResult) -> bool:
    """Public saved results are everyone's; the others the city team's, its advisors' and
    the staff's, like a team-only dossier section."""
    return result.public or Visibility.TEAM in visibilities_for(roles, result.city_id)


def _may_manage_saved_result(roles: Roles, result: SavedResult) -> bool:
    return _edits_for_city(roles, result.city_id)


def _may_assess_needs(roles: Roles, city: City) -> bool:
    """The city's own advisors run its support needs assessment; staff may too."""
    return roles.is_staff or roles.advises(city.pk)


def _may_ask_expert(roles: Roles, city: City) -> bool:
    return roles.in_team(city.pk)


def _may_list_requests(roles: Roles, city: City) -> bool:
    return roles.is_staff or roles.in_team(city.pk)


def _answers_request(roles: Roles, request: ExpertRequest) -> bool:
    """The expert staff routed the request to, while they still hold an expert's role."""
    assigned = roles.user_id is not None and request.expert_id == roles.user_id
    return assigned and roles.platform_role in REVIEWER_ROLES


def _may_read_request(roles: Roles, request: ExpertRequest) -> bool:
    return roles.is_staff or roles.in_team(request.city_id) or _answers_request(roles, request)


def _may_answer_request(roles: Roles, request: ExpertRequest) -> bool:
    return roles.is_staff or _answers_request(roles, request)


def _may_close_request(roles: Roles, request: ExpertRequest) -> bool:
    return roles.is_staff or roles.in_team(request.city_id)


def _may_consent(roles: Roles, request: ExpertRequest) -> bool:
    """Consent to publish is the city's own act: its coordinators and editors."""
    return roles.city_role(request.city_id) in EDITING_ROLES


def _speaks_for_any(roles: Roles, city_ids: frozenset[int]) -> bool:
    return any(roles.city_role(c) in EDITING_ROLES for c in city_ids)


def _in_any_team(roles: Roles, city_ids: frozenset[int]) -> bool:
    return roles.is_staff or any(roles.in_team(city_id) for city_id in city_ids)


def _may_view_call(roles: Roles, call: Call) -> bool:
    """Staff prepare calls unpublished; once published, everyone reads them."""
    return call.published or roles.is_staff


def _speaks_for(roles: Roles, city: City) -> bool:
    """Applying and reporting progress are the city's own acts: its coordinators and editors,
    not the staff."""
    return roles.city_role(city.pk) in EDITING_ROLES


def _may_read_application(roles: Roles, application: Application) -> bool:
    return _in_any_team(roles, application.city_ids)


def _may_edit_application(roles: Roles, application: Application) -> bool:
    return application.is_draft and _speaks_for_city(roles, application)


def _assesses(roles: Roles, assessment: Assessment) -> bool:
    """The assessor staff assigned, while an assessor, and never for a city of their own."""
    mine = roles.user_id is not None and assessment.assessor_id == roles.user_id
    city_ids = assessment.application.city_ids
    free = not any(roles.conflicted(city_id) for city_id in city_ids)
    return mine and roles.platform_role in REVIEWER_ROLES and free


def _may_score_application(roles: Roles, assessment: Assessment) -> bool:
    return _assesses(roles, assessment) and not assessment.is_submitted


def _may_read_activity_reports(roles: Roles, activity: PilotActivity) -> bool:
    return _in_any_team(roles, activity.city_ids)


def _may_report_on_activity(roles: Roles, activity: PilotActivity) -> bool:
    return _speaks_for_any(roles, activity.city_ids)


def _may_read_deliverables(roles: Roles, group: TwinningGroup) -> bool:
    return _in_any_team(roles, group.city_ids)


def _may_deliver(roles: Roles, group: TwinningGroup) -> bool:
    return _speaks_for_any(roles, group.city_ids)


# --- community: groups, their content, events, people -----------------------------------------------


def _member_of(roles: Roles, group_id: int) -> bool:
    place = roles.group_place(group_id)
    return place is not None and place[1] == MembershipStatus.ACTIVE


def _keeps(roles: Roles, group_id: int) -> bool:
    """Staff, and the group's owners and moderators, look after its members and content."""
    place = roles.group_place(group_id)
    active_keeper = place is not None and place[1] == MembershipStatus.ACTIVE
    return roles.is_staff or (active_keeper and place[0] in KEEPERS)


def _may_see_group(roles: Roles, group: Group) -> bool:
    """Public and private groups are listed for all; a secret one exists only for its members,
    the people invited to it and the staff."""
    if group.visibility != GroupVisibility.SECRET:
        return True
    place = roles.group_place(group.pk)
    invited_or_in = {MembershipStatus.ACTIVE, MembershipStatus.INVITED}
    return roles.is_staff or (place is not None and place[1] in invited_or_in)


def _may_read_group(roles: Roles, group: Group) -> bool:
    """A public group's content is for everyone signed in but those banned from it; a private
    or secret group's for its members."""
    if roles.is_staff or _member_of(roles, group.pk):
        return True
    place = roles.group_place(group.pk)
    banned = place is not None and place[1] == MembershipStatus.BANNED
    return group.visibility == GroupVisibility.PUBLIC and roles.authenticated and not banned


def _may_join(roles: Roles, group: Group) -> bool:
    public = group.visibility == GroupVisibility.PUBLIC
    return public and roles.authenticated and roles.group_place(group.pk) is None


def _may_ask_to_join(roles: Roles, group: Group) -> bool:
    private = group.visibility == GroupVisibility.PRIVATE
    return private and roles.authenticated and roles.group_place(group.pk) is None


def _is_invited(roles: Roles, group: Group) -> bool:
    place = roles.group_place(group.pk)
    return place is not None and place[1] == MembershipStatus.INVITED


def _may_leave(roles: Roles, group: Group) -> bool:
    return _member_of(roles, group.pk)


def _may_take_part(roles: Roles, group: Group) -> bool:
    return roles.is_staff or _member_of(roles, group.pk)


def _may_keep_group(roles: Roles, group: Group | None) -> bool:
    return roles.is_staff if group is None else _keeps(roles, group.pk)


def _may_manage_group(roles: Roles, group: Group) -> bool:
    place = roles.group_place(group.pk)
    owner = place == (GroupRole.OWNER, MembershipStatus.ACTIVE)
    return roles.is_staff or owner


def _content_group_id(content: Post | Event | SharedFile) -> int | None:
    if isinstance(content, Post):
        return content.discussion.group_id
    return content.group_id


def _may_moderate_content(roles: Roles, content: Post | Event | SharedFile) -> bool:
    group_id = _content_group_id(content)
    return roles.is_staff if group_id is None else _keeps(roles, group_id)


def _may_read_content(roles: Roles, content: Post | Event | SharedFile) -> bool:
    """Content follows its group (an event of no group is everyone's); hidden or removed content
    is left for the moderators."""
    if content.status != ContentStatus.VISIBLE and not _may_moderate_content(roles, content):
        return False
    group = content.discussion.group if isinstance(content, Post) else content.group
    return group is None or _may_read_group(roles, group)


def _may_report(roles: Roles, content: Post | Event | SharedFile) -> bool:
    return roles.authenticated and _may_read_content(roles, content)


def _may_register(roles: Roles, event: Event) -> bool:
    return roles.authenticated and _may_read_content(roles, event)


def _may_view_profile(roles: Roles, profile: Profile) -> bool:
    """A profile is seen by those signed in once its owner shows it; always by its owner."""
    own = roles.user_id is not None and profile.user_id == roles.user_id
    return own or (profile.visible and roles.authenticated)


Rule = Callable[[Roles, Any], bool]

RULES: dict[str, Rule] = {
    "dossier.view_section": _may_read,
    "dossier.view_history": _may_read,
    "dossier.view_old_versions": _may_read_old_versions,
    "dossier.edit": _may_edit_dossier,
    "team.view": _may_view_team,
    "team.manage": _may_manage_team,
    "inventory.view": _may_read,
    "inventory.create": _may_edit_dossier,
    "inventory.edit": _may_edit_inventory,
    "inventory.finalise": _may_finalise_inventory,
    "contract.view": _may_read_iteration,
    "contract.start": _may_edit_dossier,
    "contract.edit": _may_edit_iteration,
    "contract.read_comments": _may_read_comments,
    "contract.comment": _may_comment_on_iteration,
    "contract.resolve_comment": _may_resolve_comment,
    "contract.submit": _speaks_for_city,
    "contract.withdraw": _speaks_for_city,
    "review.manage": _is_staff,
    "review.give_feedback": _may_give_feedback,
    "review.decide": _may_decide,
    "review.score": _may_score,
    "review.read": _may_read_reviews,
    "review.oversee": _oversees_reviews,
    "knowledge.view": _may_read_entry,
    "knowledge.contribute": _signed_in,
    "knowledge.edit": _may_edit_entry,
    "knowledge.comment": _signed_in,
    "knowledge.bookmark": _signed_in,
    "knowledge.moderate": _is_staff,
    "transition.report": _may_edit_dossier,
    "monitoring.report": _speaks_for,
    "monitoring.view_all": _may_view_team,
    "monitoring.open_evidence": _may_open_evidence,
    "monitoring.overview": _oversees_monitoring,
    "finance.save": _may_edit_dossier,
    "finance.view_result": _may_read_saved_result,
    "finance.manage_result": _may_manage_saved_result,
    "city.assign_advisor": _is_staff,
    "city.edit_reference_data": _is_staff,
    "city.assess_needs": _may_assess_needs,
    "city.read_assessment": _may_view_team,
    "support.ask": _may_ask_expert,
    "support.list_city": _may_list_requests,
    "support.view": _may_read_request,
    "support.reply": _may_read_request,
    "support.answer": _may_answer_request,
    "support.close": _may_close_request,
    "support.consent": _may_consent,
    "support.publish": _may_answer_request,
    "support.manage": _is_staff,
    "call.view": _may_view_call,
    "call.manage": _is_staff,
    "application.start": _speaks_for,
    "application.view": _may_read_application,
    "application.edit": _may_edit_application,
    "application.submit": _speaks_for_city,
    "application.withdraw": _speaks_for_city,
    "application.review": _assesses,
    "application.score": _may_score_application,
    "programme.manage": _is_staff,
    "programme.view_reports": _may_read_activity_reports,
    "programme.report": _may_report_on_activity,
    "programme.view_deliverables": _may_read_deliverables,
    "programme.deliver": _may_deliver,
    "group.create": _is_staff,
    "group.view": _may_see_group,
    "group.read": _may_read_group,
    "group.join": _may_join,
    "group.ask_to_join": _may_ask_to_join,
    "group.answer_invitation": _is_invited,
    "group.leave": _may_leave,
    "group.post": _may_take_part,
    "group.share_file": _may_take_part,
    "group.moderate": _may_keep_group,
    "group.manage": _may_manage_group,
    "event.create": _may_keep_group,
    "event.view": _may_read_content,
    "event.register": _may_register,
    "event.manage": _may_moderate_content,
    "content.view": _may_read_content,
    "content.report": _may_report,
    "content.moderate": _may_moderate_content,
    "profile.view": _may_view_profile,
    "people.browse": _signed_in,
}


def can(user: Any, action: str, obj: Any) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"Unknown permission action {action!r}") from None
    return rule(roles_of(user), obj)
