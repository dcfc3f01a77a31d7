"""Writes to Climate City Contracts: one function per use case, one transaction each.

Every write checks that the iteration is still a draft and bumps its version, so that any change
is attributable (who, when) and nobody overwrites someone else's edit without being told.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.models import CityRole
from cityzero.cities.models import City
from cityzero.cities.selectors import dossier_barriers_and_stakeholders
from cityzero.community.services import notify
from cityzero.contracts.anchors import anchor_labels
from cityzero.contracts.models import (
    Action,
    ActionFunding,
    CommentSide,
    Contract,
    ImpactPathway,
    Indicator,
    Iteration,
    ModuleComment,
    ModuleContent,
    Removal,
    Signatory,
)
from cityzero.contracts.modules import BY_CODE, Module
from cityzero.contracts.selectors import iteration_parts
from cityzero.core.markdown import comment_text, render_markdown
from cityzero.inventories.models import Inventory

PARTS: tuple[type[models.Model], ...] = (ImpactPathway, Action, Indicator, Signatory, Removal)
MARKDOWN_FIELDS = {Action: ("description", "description_html"),
                   Signatory: ("commitment", "commitment_html")}  # fmt: skip


class EditConflict(Exception):
    """Someone saved in between; nothing was saved. ``current`` is what is stored now."""

    def __init__(self, current: Any) -> None:
        super().__init__("edit conflict")
        self.current = current


def _check_draft(iteration: Iteration) -> None:
    if not iteration.is_draft:
        raise ValidationError(
            _(
                "Iteration %(number)s has been submitted and can no longer change. "
                "Start the next iteration to make changes."
            )
            % {"number": iteration.number}
        )


def _locked(iteration: Iteration) -> Iteration:
    iteration = (
        Iteration.objects.select_for_update().select_related("contract").get(pk=iteration.pk)
    )
    _check_draft(iteration)
    return iteration


def _touch(iteration: Iteration, by) -> None:
    Iteration.objects.filter(pk=iteration.pk).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    iteration.refresh_from_db(fields=["version", "updated_by", "updated_at"])


def _check_baseline(city: City, baseline: Inventory | None) -> None:
    if baseline is not None and baseline.city_id != city.pk:
        raise ValidationError(_("The baseline must be one of the city's own inventories."))


@transaction.atomic
def start_contract(city: City, *, baseline: Inventory | None, by) -> Iteration:
    """The city's contract and its first iteration, starting from the dossier where it can."""
    _check_baseline(city, baseline)
    contract, _created = Contract.objects.get_or_create(city=city)
    if contract.iterations.exists():
        raise ValidationError(_("%(city)s already has a contract.") % {"city": city})
    iteration = Iteration.objects.create(contract=contract, number=1, baseline=baseline,
                                         updated_by=by)  # fmt: skip
    _prefill_from_dossier(iteration, city)
    return iteration


def _prefill_from_dossier(iteration: Iteration, city: City) -> None:
    barriers, stakeholders = dossier_barriers_and_stakeholders(city)
    if not barriers and not stakeholders:
        return
    tables = {
        "barriers": [
            {
                "title": b.get_typology_display(),
                "field_of_action": b.field_of_action,
                "description": b.description,
            }
            for b in barriers
        ],
        "stakeholders": [
            {
                "stakeholder": s.name,
                "system": s.get_type_display(),
                "network": s.role,
                "influence": s.influence,
                "interest": s.interest,
            }
            for s in stakeholders
        ],
    }
    ModuleContent.objects.create(
        iteration=iteration, module="barriers", data={"fields": {}, "tables": tables}
    )


@transaction.atomic
def start_next_iteration(contract: Contract, *, by) -> Iteration:
    """A copy of the newest iteration, as a draft, with the same keys so the two can be compared."""
    latest = contract.iterations.select_for_update().order_by("-number").first()
    if latest is None:
        raise ValidationError(_("Start the contract first."))
    if latest.is_draft:
        raise ValidationError(
            _("Iteration %(number)s is still a draft: keep working on it, or submit it first.")
            % {"number": latest.number}
        )
    copy = Iteration.objects.create(
        contract=contract,
        number=latest.number + 1,
        visibility=latest.visibility,
        baseline=latest.baseline,
        target_year=latest.target_year,
        target_share=latest.target_share,
        copied_from=latest,
        updated_by=by,
    )
    _copy_parts(latest, copy)
    return copy


def _copy_parts(source: Iteration, copy: Iteration) -> None:
    contents = list(ModuleContent.objects.filter(iteration=source))
    for content in contents:
        content.pk, content.iteration, content.version = None, copy, 1
    ModuleContent.objects.bulk_create(contents)
    pathways = {}
    for pathway in ImpactPathway.objects.filter(iteration=source):
        old_pk = pathway.pk
        pathway.pk, pathway.iteration, pathway.version = None, copy, 1
        pathway.save()
        pathways[old_pk] = pathway
    for model in (Action, Indicator, Signatory, Removal):
        for part in model.objects.filter(iteration=source).prefetch_related(
            *(["fundings"] if model is Action else [])
        ):
            fundings = list(part.fundings.all()) if model is Action else []
            part.pk, part.iteration, part.version = None, copy, 1
            if hasattr(part, "pathway_id") and part.pathway_id:
                part.pathway = pathways[part.pathway_id]
            part.save()
            for funding in fundings:
                funding.pk, funding.action = None, part
            ActionFunding.objects.bulk_create(fundings)


@transaction.atomic
def update_settings(iteration: Iteration, *, base_version: int, by, **settings: Any) -> Iteration:
    """Baseline inventory, target share and year, visibility."""
    iteration = _locked(iteration)
    _check_version(iteration.version, base_version, iteration)
    _check_baseline(iteration.contract.city, settings.get("baseline"))
    for name, value in settings.items():
        setattr(iteration, name, value)
    iteration.full_clean(exclude=["contract", "copied_from", "updated_by"])
    iteration.save()
    _touch(iteration, by)
    return iteration


def _check_version(current: int, base_version: int, stored: Any) -> None:
    if current != base_version:
        raise EditConflict(stored)


@transaction.atomic
def save_module(
    iteration: Iteration,
    module: Module,
    *,
    fields: dict[str, str],
    tables: dict[str, list[dict[str, str]]],
    base_version: int,
    by,
) -> ModuleContent:
    """A module's narratives and tables; Markdown is rendered once here and sanitised."""
    iteration = _locked(iteration)
    content, _created = ModuleContent.objects.select_for_update().get_or_create(
        iteration=iteration, module=module.code, defaults={"version": 0}
    )
    if content.version != base_version:
        raise EditConflict(content)
    content.data = {"fields": fields, "tables": tables}
    content.html = {
        column.name: render_markdown(fields.get(column.name, ""))
        for column in module.fields
        if column.kind == "markdown"
    }
    content.version += 1
    content.updated_by = by
    content.save()
    _touch(iteration, by)
    return content


def _render(part: models.Model) -> None:
    names = MARKDOWN_FIELDS.get(type(part))
    if names:
        source, target = names
        setattr(part, target, render_markdown(getattr(part, source)))


def _check_pathway(iteration: Iteration, part: models.Model) -> None:
    pathway = getattr(part, "pathway", None)
    if pathway is not None and pathway.iteration_id != iteration.pk:
        raise ValidationError(_("Choose an impact pathway of this iteration."))


@transaction.atomic
def save_part(
    iteration: Iteration,
    part: models.Model,
    *,
    base_version: int | None,
    by,
    fundings: list[dict[str, Any]] | None = None,
) -> models.Model:
    """Add (``part.pk`` is None) or change one action, pathway, indicator, signatory or removal.

    ``part`` carries the edited values; for an action, ``fundings`` replaces its funding rows.
    """
    iteration = _locked(iteration)
    if part.iteration_id != iteration.pk or type(part) not in PARTS:
        raise ValidationError(_("This item does not belong to this iteration."))
    _check_pathway(iteration, part)
    if part.pk is None:
        part.position = type(part).objects.filter(iteration=iteration).count()
    else:
        stored = type(part).objects.select_for_update().get(pk=part.pk)
        _check_version(stored.version, base_version, stored)
        part.version = stored.version + 1
    _render(part)
    part.full_clean(exclude=["iteration", "pathway"])
    part.save()
    if fundings is not None and isinstance(part, Action):
        part.fundings.all().delete()
        rows = [ActionFunding(action=part, **row) for row in fundings]
        for row in rows:
            row.full_clean(exclude=["action"])
        ActionFunding.objects.bulk_create(rows)
    _touch(iteration, by)
    return part


@transaction.atomic
def delete_part(iteration: Iteration, part: models.Model, *, by) -> None:
    iteration = _locked(iteration)
    if part.iteration_id != iteration.pk:
        raise ValidationError(_("This item does not belong to this iteration."))
    part.delete()
    _touch(iteration, by)


@transaction.atomic
def add_comment(
    iteration: Iteration,
    *,
    module: Module,
    body: str,
    by,
    side: str,
    anchor: str = "",
    parent: ModuleComment | None = None,
) -> ModuleComment:
    """Open a thread on a module (about ``anchor``), or reply in one, which reopens it."""
    body = comment_text(body)
    if parent is not None:
        if parent.iteration_id != iteration.pk or parent.parent_id is not None:
            raise ValidationError(_("Reply to a thread of this iteration."))
        module_code, anchor = parent.module, parent.anchor
        ModuleComment.objects.filter(pk=parent.pk).update(resolved_at=None, resolved_by=None)
    else:
        module_code = module.code
        if anchor not in anchor_labels(module, iteration_parts(iteration)):
            raise ValidationError(_("Choose what the comment is about from the list."))
    comment = ModuleComment.objects.create(
        iteration=iteration,
        module=module_code,
        anchor=anchor,
        parent=parent,
        author=by,
        side=side,
        body=body,
        body_html=render_markdown(body),
    )
    _announce_comment(iteration, comment)
    return comment


def _announce_comment(iteration: Iteration, comment: ModuleComment) -> None:
    """Tell the others in the thread; a remark from outside the city goes to its editors too."""
    User = get_user_model()
    root_pk = comment.parent_id or comment.pk
    in_thread = Q(pk__in=ModuleComment.objects.filter(Q(pk=root_pk) | Q(parent_id=root_pk))
                  .values("author_id"))  # fmt: skip
    answer = Q(memberships__city_id=iteration.city_id,
               memberships__role__in=[CityRole.COORDINATOR, CityRole.EDITOR])  # fmt: skip
    wanted = in_thread | answer if comment.side != CommentSide.CITY else in_thread
    recipients = User.objects.filter(wanted).exclude(pk=getattr(comment.author, "pk", None))
    city = iteration.contract.city
    notify(
        recipients.distinct(),
        source=f"comment:{comment.pk}",
        title=_("%(city)s, contract iteration %(n)s: a comment on %(module)s")
        % {"city": city.name, "n": iteration.number, "module": BY_CODE[comment.module].title},
        body=comment.body[:500],
        url=reverse("contracts:module", args=[city.slug, iteration.number, comment.module])
        + f"#thread-{root_pk}",
    )


def resolve_thread(thread: ModuleComment, *, by) -> None:
    if thread.parent_id is not None:
        raise ValidationError(_("Resolve the thread, not one of its replies."))
    ModuleComment.objects.filter(pk=thread.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )


@transaction.atomic
def import_actions(iteration: Iteration, rows: list[dict[str, Any]], *, by) -> list[Action]:
    """Make the iteration's actions those of a checked file, in its order, all or nothing.

    A row whose key is an action of this iteration updates that action (its funding stays);
    other rows are new actions; actions missing from the file are deleted.
    """
    iteration = _locked(iteration)
    existing = {a.key: a for a in Action.objects.select_for_update().filter(iteration=iteration)}
    kept = []
    for position, row in enumerate(rows):
        fields = {name: value for name, value in row.items() if name != "key"}
        action = existing.pop(row.get("key"), None) or Action(iteration=iteration)
        for name, value in fields.items():
            setattr(action, name, value)
        action.position = position
        if action.pk is not None:
            action.version += 1
        _check_pathway(iteration, action)
        _render(action)
        action.full_clean(exclude=["iteration", "pathway"])
        action.save()
        kept.append(action)
    Action.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
    _touch(iteration, by)
    return kept
