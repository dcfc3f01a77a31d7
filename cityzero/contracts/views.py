from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.accounts.permissions import can, side_of
from cityzero.cities.models import City
from cityzero.contracts import exports, interchange, presentation, selectors, services
from cityzero.contracts.anchors import anchor_choices, describe
from cityzero.contracts.diff import compare_iterations
from cityzero.contracts.forms import (
    PART_FORMS,
    CommentForm,
    CompareForm,
    FundingFormSet,
    ImportActionsForm,
    ReplyForm,
    SettingsForm,
    StartContractForm,
)
from cityzero.contracts.models import ActionFunding, Contract, Iteration, ModuleComment
from cityzero.contracts.modules import (
    BY_CODE,
    MODULES,
    Module,
    as_text,
    fields_form_class,
    kept_rows,
    table_formset_class,
)
from cityzero.core.cache import cache_public_page
from cityzero.core.vocabularies import SystemicLever
from cityzero.finance import selectors as finance_selectors
from cityzero.knowledge import recommendations

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_ONLY = gettext_lazy("Only the city's coordinators and editors may change a draft contract.")
# The Investment Plan module that lists the city's results of the Finance Guidance Tool.
FUNDING_OPTIONS_MODULE = "ip_a2"


def _require_sign_in(request: HttpRequest) -> HttpResponse | None:
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _iteration(request: HttpRequest, slug: str, number: int) -> Iteration:
    try:
        return selectors.iteration_for(slug, number, request.user)
    except Iteration.DoesNotExist:
        raise Http404(_("There is no such contract iteration that you may read.")) from None


def _module(code: str) -> Module:
    try:
        return BY_CODE[code]
    except KeyError:
        raise Http404(_("There is no such module.")) from None


def _may_edit(request: HttpRequest, iteration: Iteration) -> None:
    if not can(request.user, "contract.edit", iteration):
        raise PermissionDenied(READ_ONLY)


@cache_public_page
def contract_home(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    contract = Contract.objects.filter(city=city).first()
    iterations = selectors.readable_iterations(contract, request.user) if contract else []
    may_start = can(request.user, "contract.start", city)
    start_form = StartContractForm(
        request.POST or None, inventories=selectors.baseline_choices(city.pk)
    )
    if request.method == "POST":
        if response := _require_sign_in(request):
            return response
        if not may_start:
            raise PermissionDenied(READ_ONLY)
        try:
            if request.POST.get("action") == "next" and contract is not None:
                iteration = services.start_next_iteration(contract, by=request.user)
            elif start_form.is_valid():
                baseline = start_form.cleaned_data["baseline"]
                iteration = services.start_contract(city, baseline=baseline, by=request.user)
            else:
                iteration = None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("contracts:home", slug=slug)
        if iteration is not None:
            messages.success(request, _("Iteration %(n)s started.") % {"n": iteration.number})
            return redirect("contracts:overview", slug=slug, number=iteration.number)
    numbers = [i.number for i in iterations]
    context = {
        "city": city,
        "contract": contract,
        "iterations": iterations,
        "may_start": may_start,
        "start_form": start_form,
        "compare_form": CompareForm(numbers=numbers) if len(numbers) > 1 else None,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "contracts/contract_home.html", context, status=status)


@cache_public_page
def iteration_overview(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    iteration = _iteration(request, slug, number)
    may_edit = can(request.user, "contract.edit", iteration)
    inventories = selectors.baseline_choices(iteration.contract.city_id)
    settings_form = SettingsForm(
        instance=iteration, initial={"version": iteration.version}, inventories=inventories
    )
    status = 200
    if request.method == "POST":
        if response := _require_sign_in(request):
            return response
        _may_edit(request, iteration)
        settings_form = SettingsForm(request.POST, instance=iteration, inventories=inventories)
        if settings_form.is_valid():
            data = dict(settings_form.cleaned_data)
            version = data.pop("version")
            try:
                services.update_settings(iteration, base_version=version, by=request.user, **data)
            except services.EditConflict:
                settings_form.add_error(None, _("Someone else changed this iteration meanwhile."))
                status = 409
            except ValidationError as error:
                settings_form.add_error(None, error)
                status = 422
            else:
                messages.success(request, _("Saved. The figures below are recomputed."))
                return redirect("contracts:overview", slug=slug, number=number)
        else:
            status = 422
        iteration.refresh_from_db()
    overview = selectors.overview(iteration)
    context = {
        "city": iteration.contract.city,
        "iteration": iteration,
        "overview": overview,
        "may_edit": may_edit,
        "settings_form": settings_form,
        "charts": presentation.charts(overview),
        "modules": MODULES,
        "target_rows": presentation.target_rows(overview.table),
        "recommendations": recommendations.for_iteration(overview.parts),
    }
    return render(request, "contracts/overview.html", context, status=status)


def _content_forms(module: Module, parts: selectors.Parts, data=None):
    stored = parts.content(module.code)
    fields_form = None
    if module.fields:
        fields_form = fields_form_class(module)(
            data, initial=stored.get("fields", {}), prefix="fields"
        )
    formsets = [
        (
            table,
            table_formset_class(table)(
                data, initial=stored.get("tables", {}).get(table.name, []), prefix=table.name
            ),
        )
        for table in module.tables
    ]
    return fields_form, formsets


def _save_content(request, iteration, module, parts) -> tuple[HttpResponse | None, tuple]:
    fields_form, formsets = _content_forms(module, parts, request.POST)
    valid = (fields_form is None or fields_form.is_valid()) and all(
        formset.is_valid() for _table, formset in formsets
    )
    version = request.POST.get("module_version", "")
    if not valid or not version.isdigit():
        return None, (fields_form, formsets, 422)
    fields = (
        {name: as_text(value) for name, value in fields_form.cleaned_data.items()}
        if fields_form
        else {}
    )
    tables = {table.name: kept_rows(formset, table) for table, formset in formsets}
    try:
        services.save_module(iteration, module, fields=fields, tables=tables,
                             base_version=int(version), by=request.user)  # fmt: skip
    except services.EditConflict:
        messages.error(
            request,
            _("Someone else saved this module while you were editing. Your text is still in the "
              "form below; compare it with the saved version and save again."),
        )  # fmt: skip
        return None, (fields_form, formsets, 409)
    messages.success(request, _("Saved."))
    return redirect(request.path), ()


def _discuss(
    request: HttpRequest, iteration: Iteration, module: Module, parts
) -> HttpResponse | CommentForm | ReplyForm:
    """Open a thread, reply in one or resolve one; the bound form back when it does not validate."""
    if not can(request.user, "contract.comment", iteration):
        raise PermissionDenied(
            _("Only the city team, its advisors and the reviewers comment here.")
        )
    action = request.POST.get("action")
    if action in {"reply", "resolve"}:
        thread = _thread(request, iteration, module)
    if action == "resolve":
        if not can(request.user, "contract.resolve_comment", thread):
            raise PermissionDenied(
                _("Only the person who opened the thread, or staff, resolve it.")
            )
        services.resolve_thread(thread, by=request.user)
        messages.success(request, _("Thread resolved."))
        return redirect(request.path + "#comments")
    side = side_of(request.user, iteration.city_id)
    if action == "reply":
        form = ReplyForm(request.POST)
        fields = {"parent": thread}
    else:
        form = CommentForm(request.POST, anchors=anchor_choices(module, parts))
        fields = {}
    if not form.is_valid():
        return form
    fields.setdefault("anchor", form.cleaned_data.get("anchor", ""))
    try:
        services.add_comment(iteration, module=module, body=form.cleaned_data["body"],
                             by=request.user, side=side, **fields)  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return form
    messages.success(request, _("Comment added."))
    return redirect(request.path + "#comments")


def _thread(request: HttpRequest, iteration: Iteration, module: Module) -> ModuleComment:
    try:
        pk = int(request.POST.get("thread", ""))
    except ValueError:
        raise Http404(_("There is no such thread.")) from None
    return get_object_or_404(
        ModuleComment, pk=pk, iteration=iteration, module=module.code, parent__isnull=True
    )


def module_page(request: HttpRequest, slug: str, number: int, code: str) -> HttpResponse:
    iteration = _iteration(request, slug, number)
    module = _module(code)
    parts = selectors.iteration_parts(iteration, with_comments=True)
    may_edit = can(request.user, "contract.edit", iteration)
    may_comment = can(request.user, "contract.comment", iteration)
    fields_form, formsets = _content_forms(module, parts)
    part_form = _new_part_form(module, iteration)
    comment_form = CommentForm(anchors=anchor_choices(module, parts))
    reply_form = None
    status = 200
    if request.method == "POST":
        if response := _require_sign_in(request):
            return response
        action = request.POST.get("action")
        if action in {"comment", "reply", "resolve"}:
            result = _discuss(request, iteration, module, parts)
            if isinstance(result, HttpResponse):
                return result
            if isinstance(result, ReplyForm):
                reply_form = result
            else:
                comment_form = result
            status = 422
        else:
            _may_edit(request, iteration)
            if action == "add" and part_form is not None:
                part_form = _new_part_form(module, iteration, request.POST)
                if part_form.is_valid():
                    response = _save_part(request, iteration, module.code, part_form)
                    if response:
                        return response
                status = 422
            else:
                response, failed = _save_content(request, iteration, module, parts)
                if response:
                    return response
                fields_form, formsets, status = failed
    overview = (
        selectors.overview(iteration, parts) if module.code in selectors.COMPUTED_MODULES else None
    )
    context = {
        "city": iteration.contract.city,
        "iteration": iteration,
        "module": module,
        "modules": MODULES,
        "parts": parts,
        "target_rows": presentation.target_rows(overview.table) if overview else [],
        "may_edit": may_edit,
        "may_comment": may_comment,
        "fields_form": fields_form,
        "formsets": formsets,
        "part_form": part_form,
        "comment_form": comment_form,
        "reply_form": reply_form,
        "may_read_comments": can(request.user, "contract.read_comments", iteration),
        "overview": overview,
        "pathway_grid": presentation.pathway_grid(parts.pathways) if code == "pathways" else [],
        "levers": SystemicLever.choices,
        "investment_breakdowns": (
            presentation.investment_breakdowns(overview.portfolio) if overview else []
        ),
        "module_version": parts.version(module.code),
        "read": presentation.read_view(module, parts),
        "threads": describe(parts.threads.get(module.code, []), module, parts),
        "saved_funding": (
            finance_selectors.saved_results_for_city(iteration.contract.city, request.user)
            if module.code == FUNDING_OPTIONS_MODULE
            else None
        ),
    }
    return render(request, "contracts/module.html", context, status=status)


def _new_part_form(module: Module, iteration: Iteration, data=None):
    form_class = PART_FORMS.get(module.code)
    return None if form_class is None else form_class(data, prefix="part", iteration=iteration)


def _save_part(request: HttpRequest, iteration: Iteration, code: str, form, fundings=None):
    part = form.save(commit=False)
    part.iteration = iteration
    try:
        services.save_part(
            iteration, part, base_version=form.cleaned_data.get("version"), by=request.user,
            fundings=fundings,
        )  # fmt: skip
    except services.EditConflict:
        form.add_error(
            None, _("Someone else changed this item meanwhile. Reload it and save again.")
        )
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("Saved."))
    return redirect("contracts:module", slug=iteration.contract.city.slug,
                    number=iteration.number, code=code)  # fmt: skip


def part_page(request: HttpRequest, slug: str, number: int, code: str, key: str) -> HttpResponse:
    iteration = _iteration(request, slug, number)
    module = _module(code)
    form_class = PART_FORMS.get(code)
    if form_class is None:
        raise Http404(_("There is no such module."))
    model = form_class._meta.model
    part = get_object_or_404(model, iteration=iteration, key=key)
    may_edit = can(request.user, "contract.edit", iteration)
    kwargs = {"iteration": iteration, "prefix": "part"}
    form = form_class(instance=part, initial={"version": part.version}, **kwargs)
    fundings = None
    if code == "actions":
        fundings = FundingFormSet(queryset=part.fundings.all(), prefix="funding")
    status = 200
    if request.method == "POST":
        if response := _require_sign_in(request):
            return response
        _may_edit(request, iteration)
        if request.POST.get("action") == "delete":
            services.delete_part(iteration, part, by=request.user)
            messages.success(request, _("Deleted."))
            return redirect("contracts:module", slug=slug, number=number, code=code)
        form = form_class(request.POST, instance=part, **kwargs)
        funding_rows = None
        if code == "actions":
            fundings = FundingFormSet(
                request.POST, queryset=ActionFunding.objects.none(), prefix="funding"
            )
            if fundings.is_valid():
                funding_rows = [
                    {k: f.cleaned_data[k] for k in ("source", "detail", "amount", "secured")}
                    for f in fundings.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
        if form.is_valid() and (fundings is None or fundings.is_valid()):
            response = _save_part(request, iteration, code, form, fundings=funding_rows)
            if response:
                return response
            status = 409
        else:
            status = 422
    context = {
        "city": iteration.contract.city,
        "iteration": iteration,
        "module": module,
        "part": part,
        "form": form,
        "fundings": fundings,
        "funding_headers": [f.label for f in FundingFormSet.form.base_fields.values()],
        "may_edit": may_edit,
    }
    return render(request, "contracts/part.html", context, status=status)


@cache_public_page
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    contract = get_object_or_404(Contract, city=city)
    iterations = {i.number: i for i in selectors.readable_iterations(contract, request.user)}
    form = CompareForm(request.GET or None, numbers=sorted(iterations))
    changes = None
    if form.is_valid():
        old, new = iterations[form.cleaned_data["a"]], iterations[form.cleaned_data["b"]]
        changes = compare_iterations(selectors.iteration_parts(old), selectors.iteration_parts(new))
    context = {"city": city, "form": form, "changes": changes}
    return render(request, "contracts/compare.html", context)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    iteration = _iteration(request, slug, number)
    return _download(
        exports.contract_pdf(selectors.overview(iteration)),
        "application/pdf",
        f"{slug}-contract-{number}.pdf",
    )


def export_xlsx(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    iteration = _iteration(request, slug, number)
    return _download(
        exports.contract_xlsx(selectors.overview(iteration)),
        XLSX_TYPE,
        f"{slug}-contract-{number}.xlsx",
    )


@login_required
def import_actions(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Replace the actions with those of an XLSX file in the export's layout, all or nothing."""
    iteration = _iteration(request, slug, number)
    _may_edit(request, iteration)
    form = ImportActionsForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = interchange.read_actions(upload.name, upload.read(), iteration=iteration)
        errors = parsed.errors
        if not errors:
            try:
                services.import_actions(iteration, parsed.rows, by=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _("Imported %(count)d actions.") % {"count": len(parsed.rows)},
                )
                return redirect("contracts:module", slug=slug, number=number, code="actions")
    context = {"city": iteration.contract.city, "iteration": iteration, "form": form,
               "errors": errors}  # fmt: skip
    status = 422 if request.method == "POST" else 200
    return render(request, "contracts/import_actions.html", context, status=status)
