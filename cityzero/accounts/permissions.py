"""The one place that answers "may this user do this to this object".

Views, the API and templates ask `can(user, action, obj)`; the authorization matrix test walks
`RULES`. A user's roles are read once per request and kept on the user object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cityzero.accounts.models import AdvisorAssignment, CityMembership, CityRole, PlatformRole
from cityzero.cities.models import City, DossierSection, Visibility
from cityzero.contracts.models import Iteration, IterationStatus
from cityzero.inventories.models import Inventory


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    platform_role: str = PlatformRole.NONE
    city_roles: dict[int, str] = field(default_factory=dict)
    advised_city_ids: frozenset[int] = frozenset()

    @property
    def is_staff(self) -> bool:
        return self.platform_role == PlatformRole.STAFF

    def city_role(self, city_id: int) -> str | None:
        return self.city_roles.get(city_id)

    def in_team(self, city_id: int) -> bool:
        return city_id in self.city_roles

    def advises(self, city_id: int) -> bool:
        return city_id in self.advised_city_ids


ANONYMOUS = Roles()
_CACHE_ATTRIBUTE = "_cityzero_roles"


def roles_of(user: Any) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = Roles(
            authenticated=True,
            platform_role=user.platform_role,
            city_roles=dict(
                CityMembership.objects.filter(user=user).values_list("city_id", "role")
            ),
            advised_city_ids=frozenset(
                AdvisorAssignment.objects.filter(advisor=user).values_list("city_id", flat=True)
            ),
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


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
    return roles.is_staff or roles.city_role(city_id) in {CityRole.COORDINATOR, CityRole.EDITOR}


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


def _may_read_iteration(roles: Roles, iteration: Iteration) -> bool:
    # Every endorsed iteration is public (DOMAIN §3); drafts follow the city's choice.
    endorsed = iteration.status == IterationStatus.ENDORSED
    return endorsed or iteration.visibility in visibilities_for(roles, iteration.city_id)


def _may_edit_iteration(roles: Roles, iteration: Iteration) -> bool:
    return iteration.is_draft and _edits_for_city(roles, iteration.city_id)


def _may_comment_on_iteration(roles: Roles, iteration: Iteration) -> bool:
    city_id = iteration.city_id
    return roles.is_staff or roles.advises(city_id) or _edits_for_city(roles, city_id)


def _is_staff(roles: Roles, obj: object) -> bool:
    return roles.is_staff


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
    "contract.comment": _may_comment_on_iteration,
    "city.assign_advisor": _is_staff,
    "city.edit_reference_data": _is_staff,
}


def can(user: Any, action: str, obj: Any) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"Unknown permission action {action!r}") from None
    return rule(roles_of(user), obj)
