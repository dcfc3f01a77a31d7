from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.core.cache import cache_public_page
from cityzero.ghg.gpc import SECTORS
from cityzero.inventories import selectors, services
from cityzero.inventories.charts import carrier_flow_svg, sector_bars_svg, trend_svg
from cityzero.inventories.forms import (
    COLUMN_LABELS,
    CompareForm,
    DriversForm,
    ExclusionForm,
    ImportForm,
    LocalFactorForm,
    NewInventoryForm,
    RowFormSet,
    SourceDocumentForm,
    edited_records,
)
from cityzero.inventories.models import Inventory, LocalFactor
from cityzero.inventories.vocabulary import carrier_label, factor_kind, sector_label
from cityzero.monitoring.selectors import inventory_standing


def _city(slug: str) -> City:
    return get_object_or_404(City.objects.select_related("country"), slug=slug)


@cache_public_page
def inventory_list(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    inventories = list(selectors.city_inventories(city.pk, request.user))
    may_create = can(request.user, "inventory.create", city)
    form = NewInventoryForm(request.POST or None, years=[i.year for i in inventories])
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_create:
            raise PermissionDenied(
                _("Only the city's coordinators and editors may add inventories.")
            )
        if form.is_valid():
            try:
                inventory = _create(city, form.cleaned_data, inventories, by=request.user)
            except ValidationError as error:
                form.add_error("year", error)
            else:
                messages.success(
                    request, _("Inventory %(year)s created.") % {"year": inventory.year}
                )
                return redirect("inventories:detail", slug=city.slug, year=inventory.year)
    trend = selectors.yearly_totals(inventories)
    context = {
        "city": city,
        "trend": trend,
        "trend_chart": _trend_chart(trend),
        "form": form,
        "may_create": may_create,
    }
    return render(
        request, "inventories/inventory_list.html", context, status=422 if form.errors else 200
    )


def _trend_chart(trend: list[dict]) -> str:
    points = [
        (
            line["inventory"].year,
            {
                key: line["summary"][f"{key}_tco2e"]
                for key in ("basic", "mission_scope")
                if not line["summary"]["errors"]
            },
        )
        for line in trend
    ]
    return trend_svg(points, [("basic", _("GPC BASIC")), ("mission_scope", _("Mission scope"))])


def _create(city: City, data: dict, inventories: list[Inventory], *, by) -> Inventory:
    source = next((i for i in inventories if i.year == data["copy_from"]), None)
    if source is not None:
        return services.copy_inventory(source, data["year"], by=by)
    return services.create_inventory(
        city, data["year"], gwp_set=data["gwp_set"], visibility=data["visibility"], by=by
    )


def _inventory(request: HttpRequest, slug: str, year: int) -> Inventory:
    try:
        return selectors.city_inventory(slug, year, request.user)
    except Inventory.DoesNotExist:
        raise Http404(
            _("There is no inventory for this city and year that you may read.")
        ) from None


@cache_public_page
def inventory_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = _inventory(request, slug, year)
    summary = selectors.inventory_summary(inventory)
    sectors = [(sector_label(code), value) for code, value in summary.get("by_sector", {}).items()]
    drivers_form = DriversForm(request.GET or None)
    flows = _carrier_flows(summary)
    lines, factors = _lines_and_factors(summary)
    years = list(selectors.city_inventories(inventory.city_id, request.user))
    context = {
        "city": inventory.city,
        "inventory": inventory,
        "summary": summary,
        "drivers_form": drivers_form,
        "outlook": selectors.outlook_2030(summary, inventory.year, drivers_form.drivers()),
        "sectors": sectors,
        "matrix": _sector_scope_matrix(summary),
        "chart": sector_bars_svg(sectors),
        "flows": flows,
        "flow_chart": carrier_flow_svg(flows),
        "trend_chart": _trend_chart(selectors.yearly_totals(years)),
        "lines": lines,
        "factors": factors,
        "documents": inventory.documents.all(),
        "may_edit": can(request.user, "inventory.edit", inventory),
        "may_finalise": can(request.user, "inventory.finalise", inventory),
        "against_pathway": inventory_standing(inventory, summary, request.user),
    }
    return render(request, "inventories/inventory_detail.html", context)


def _carrier_flows(summary: dict) -> list[tuple[str, str, float]]:
    """(carrier, sector, t CO2e) in GPC sector order, largest first within a sector."""
    flows = [
        (carrier, code, value)
        for key, value in summary.get("by_carrier_sector", {}).items()
        for carrier, code in [key.split("|")]
        if value > 0
    ]
    order = list(SECTORS)
    flows.sort(key=lambda flow: (order.index(flow[1]), -flow[2]))
    without = _("Reported without a carrier")
    return [
        (carrier_label(carrier) if carrier else without, sector_label(code), value)
        for carrier, code, value in flows
    ]


FACTOR_IDENTITY = ("gas", "value", "unit", "kind", "source", "version", "year", "country")


def _lines_and_factors(summary: dict) -> tuple[list[dict], list[dict]]:
    """The summary's rows, each factor numbered, and the distinct factors once each in order."""
    numbers: dict[tuple, int] = {}
    factors: list[dict] = []
    lines = []
    for line in summary.get("lines", []):
        used = []
        for applied in line["factors"]:
            identity = tuple(applied[name] for name in FACTOR_IDENTITY)
            if identity not in numbers:
                numbers[identity] = len(factors) + 1
                factors.append(_factor_line(applied) | {"number": numbers[identity]})
            used.append(_factor_line(applied) | {"number": numbers[identity]})
        lines.append(line | {"factors": used})
    return lines, factors


def _factor_line(factor: dict) -> dict:
    # The shortest decimal that is the stored float: 0.38095, not 0.380950 or 3.8095e-01.
    shortest = Decimal(repr(factor["value"]))
    return factor | {"kind_label": factor_kind(factor["kind"]), "value": shortest}


def _sector_scope_matrix(summary: dict) -> list[tuple[str, list[float | None]]]:
    cells = summary.get("by_sector_scope", {})
    return [
        (sector_label(code), [cells.get(f"{code}.{scope}") for scope in (1, 2, 3)])
        for code in SECTORS
        if any(f"{code}.{scope}" in cells for scope in (1, 2, 3))
    ]


@login_required
@require_POST
def finalise(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.finalise", inventory):
        raise PermissionDenied(_("Only the city's coordinators may declare an inventory final."))
    services.finalise_inventory(inventory, by=request.user)
    messages.success(request, _("The %(year)s inventory is now final.") % {"year": year})
    return redirect("inventories:detail", slug=slug, year=year)


@login_required
def import_rows(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.edit", inventory):
        raise PermissionDenied(_("Only the city's coordinators and editors may change a draft."))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.import_file(
                inventory, filename=upload.name, data=upload.read(), by=request.user
            )
        except services.ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request, _("Imported. The inventory below is computed from the new rows.")
            )
            return redirect("inventories:detail", slug=slug, year=year)
    context = {"city": inventory.city, "inventory": inventory, "form": form, "errors": errors}
    status = 422 if errors or form.errors else 200
    return render(request, "inventories/import.html", context, status=status)


def export_rows(request: HttpRequest, slug: str, year: int, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_TYPES:
        raise Http404(_("Exports are CSV or XLSX."))
    inventory = _inventory(request, slug, year)
    response = HttpResponse(
        services.export_file(inventory, file_format), content_type=EXPORT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-{year}.{file_format}"'
    return response


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@cache_public_page
def compare(request: HttpRequest) -> HttpResponse:
    """Several cities side by side, per inhabitant: their newest inventories you may read."""
    choices = selectors.comparable_cities(request.user)
    form = CompareForm(request.GET or None, cities=choices)
    lines = []
    if form.is_valid():
        inventories = selectors.latest_readable_inventories(
            form.cleaned_data["cities"], request.user
        )
        summaries = selectors.inventory_summaries(inventories)
        lines = [(i, summaries[i.pk]) for i in inventories]
    sector_codes = sorted({code for _i, summary in lines for code in summary.get("by_sector", {})})
    rows = [
        (
            inventory,
            summary,
            [
                _per_capita(summary.get("by_sector", {}).get(code), inventory)
                for code in sector_codes
            ],
            _per_capita(summary.get("mission_scope_tco2e"), inventory),
        )
        for inventory, summary in lines
    ]
    context = {
        "form": form,
        "rows": rows,
        "sectors": [sector_label(code) for code in sector_codes],
    }
    return render(request, "inventories/compare.html", context)


def _per_capita(value: float | None, inventory: Inventory) -> float | None:
    population = inventory.city.population
    return None if value is None or not population else value / population


@login_required
def edit_rows(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.edit", inventory):
        raise PermissionDenied(_("Only the city's coordinators and editors may change a draft."))
    errors: list[str] = []
    if request.method == "POST":
        formset = RowFormSet(request.POST, prefix="rows")
        version = request.POST.get("version", "")
        if formset.is_valid() and version.isdigit():
            try:
                services.save_edited_rows(
                    inventory, edited_records(formset), base_version=int(version), by=request.user
                )
            except services.ImportRejected as rejected:
                errors = rejected.errors
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Rows saved. The totals below include them."))
                return redirect("inventories:detail", slug=slug, year=year)
        elif not version.isdigit():
            errors = [_("This form was damaged or is out of date. Reload the page.")]
    else:
        formset = RowFormSet(initial=selectors.row_records(inventory), prefix="rows")
    context = {
        "city": inventory.city,
        "inventory": inventory,
        "formset": formset,
        "errors": errors,
        "headers": list(COLUMN_LABELS.values()),
        "live": {"summary": selectors.inventory_summary(inventory), "saved": True},
    }
    # A POST that gets here saved nothing: it answers 422 with what to fix.
    return render(
        request,
        "inventories/edit_rows.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def rows_preview(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The editor's totals and checks as typed, before saving (htmx asks on every change)."""
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.edit", inventory):
        raise PermissionDenied(_("Only the city's coordinators and editors may change a draft."))
    formset = RowFormSet(request.POST, prefix="rows")
    if not formset.is_valid():
        live = {"errors": [_("Some cells are too long or the form is damaged; save to see where.")]}
    else:
        errors, summary = services.preview_edited_rows(inventory, edited_records(formset))
        live = {"errors": errors, "summary": summary}
    return render(request, "inventories/_live_totals.html", {"live": live})


@login_required
def boundaries(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The inventory's declared exclusions and the city's own emission factors."""
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.edit", inventory):
        raise PermissionDenied(_("Only the city's coordinators and editors may change a draft."))
    exclusion_form = ExclusionForm(prefix="exclusion")
    factor_form = LocalFactorForm(prefix="factor")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_exclusion":
                exclusion_form = ExclusionForm(request.POST, prefix="exclusion")
                if exclusion_form.is_valid():
                    services.add_exclusion(
                        inventory, by=request.user, **exclusion_form.cleaned_data
                    )
                    return _saved(request, slug, year)
            elif action == "remove_exclusion":
                exclusion = get_object_or_404(inventory.exclusions, pk=request.POST.get("pk"))
                services.remove_exclusion(exclusion, by=request.user)
                return _saved(request, slug, year)
            elif action == "add_factor":
                factor_form = LocalFactorForm(request.POST, prefix="factor")
                if factor_form.is_valid():
                    services.add_local_factor(
                        inventory.city, by=request.user, **factor_form.cleaned_data
                    )
                    return _saved(request, slug, year)
        except ValidationError as error:
            form = exclusion_form if action == "add_exclusion" else factor_form
            form.add_error(None, error)
    context = {
        "city": inventory.city,
        "inventory": inventory,
        "exclusions": inventory.exclusions.all(),
        "factors": LocalFactor.objects.filter(city=inventory.city),
        "exclusion_form": exclusion_form,
        "factor_form": factor_form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "inventories/boundaries.html", context, status=status)


def _saved(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    messages.success(request, _("Saved. The totals are recomputed with it."))
    return redirect("inventories:boundaries", slug=slug, year=year)


@login_required
def sources(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The files behind the inventory's figures: add and remove them while it is a draft."""
    inventory = _inventory(request, slug, year)
    if not can(request.user, "inventory.edit", inventory):
        raise PermissionDenied(_("Only the city's coordinators and editors may change a draft."))
    form = SourceDocumentForm()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            document = get_object_or_404(inventory.documents, pk=request.POST.get("pk"))
            services.remove_source_document(document, by=request.user)
            messages.success(request, _("The document was removed."))
            return redirect("inventories:sources", slug=slug, year=year)
        form = SourceDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_source_document(
                    inventory,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The document is attached to the inventory."))
                return redirect("inventories:sources", slug=slug, year=year)
    context = {
        "city": inventory.city,
        "inventory": inventory,
        "documents": inventory.documents.all(),
        "form": form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "inventories/sources.html", context, status=status)


def source_document(request: HttpRequest, slug: str, year: int, pk: int) -> FileResponse:
    """A source document, to whoever may read the inventory; always a download, never inline."""
    inventory = _inventory(request, slug, year)
    document = get_object_or_404(inventory.documents, pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename or "source",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
