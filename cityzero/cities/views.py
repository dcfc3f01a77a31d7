from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import can
from cityzero.accounts.selectors import city_advisors
from cityzero.cities import selectors, services
from cityzero.cities.forms import (
    CityFilterForm,
    LabelFilterForm,
    NeedsForm,
    SectionForm,
    check_investment_total,
    needs_initial,
    row_formset_class,
)
from cityzero.cities.models import City, DossierSection
from cityzero.cities.sections import SPECS, change_sentences
from cityzero.cities.services import EditConflict, SectionInput, update_section
from cityzero.contracts.models import Contract
from cityzero.contracts.selectors import iteration_parts, readable_iterations
from cityzero.core.cache import cache_public_page, public_data_version
from cityzero.finance import selectors as finance_selectors
from cityzero.knowledge import recommendations
from cityzero.programmes import selectors as programmes_selectors

CITIES_PER_PAGE = 50


@cache_public_page
def mission(request: HttpRequest) -> HttpResponse:
    return render(request, "cities/mission.html", {"overview": selectors.mission_overview()})


@cache_public_page
def city_list(request: HttpRequest) -> HttpResponse:
    form = CityFilterForm(
        request.GET or None,
        countries=selectors.countries_with_cities(),
        rounds=selectors.label_rounds(),
    )
    cities = selectors.city_list(**form.filters()) if form.is_valid() else selectors.city_list()
    page = Paginator(cities, CITIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "cities/_city_table.html" if request.htmx else "cities/city_list.html"
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # The table is the same for everyone: signed-in users and htmx requests share it.
        "table_key": f"{public_data_version()}:{request.get_full_path()}",
    }
    return render(request, template, context)


@cache_public_page
def labels(request: HttpRequest) -> HttpResponse:
    countries = list(selectors.countries_with_labels())
    form = LabelFilterForm(request.GET or None, countries=countries)
    code = form.cleaned_data["country"] if form.is_valid() else ""
    return render(
        request,
        "cities/labels.html",
        {
            "form": form,
            "country": next((c for c in countries if c.code == code), None),
            "registry": selectors.label_registry(country=code),
        },
    )


@cache_public_page
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        dossier = selectors.city_dossier(slug, request.user)
    except City.DoesNotExist:
        raise Http404(_("There is no city at this address.")) from None
    city = dossier.city
    can_edit = can(request.user, "dossier.edit", city)
    can_view_team = can(request.user, "team.view", city)
    may_read_needs = can(request.user, "city.read_assessment", city)
    current_needs = selectors.current_needs(city) if may_read_needs else None
    return render(
        request,
        "cities/city_detail.html",
        {
            "dossier": dossier,
            "city": city,
            "specs": SPECS,
            "can_edit": can_edit,
            "can_view_team": can_view_team,
            "dossier_key": dossier.cache_key(can_edit, request.user.is_authenticated),
            # Advisors are named to signed-in members only; the assessment to its readers.
            "advisors": city_advisors(city) if request.user.is_authenticated else None,
            "may_read_needs": may_read_needs,
            "may_assess_needs": can(request.user, "city.assess_needs", city),
            "needs": current_needs,
            "may_ask_expert": can(request.user, "support.ask", city),
            "may_list_requests": can(request.user, "support.list_city", city),
            "funding_results": finance_selectors.saved_results_for_city(city, request.user),
            "may_save_funding": can(request.user, "finance.save", city),
            "participation": programmes_selectors.participation_of(city),
            "recommendations": (
                _recommendations(request, city, current_needs) if can_view_team else None
            ),
        },
    )


def _recommendations(
    request: HttpRequest, city: City, assessment: selectors.NeedsView | None
) -> list:
    """For the city's team: knowledge answering its barriers, the areas its needs assessment
    found weak, and its newest contract iteration."""
    contract = Contract.objects.filter(city=city).first()
    iterations = readable_iterations(contract, request.user) if contract else []
    parts = iteration_parts(iterations[0]) if iterations else None
    weak_areas = assessment.needing_support if assessment else []
    return recommendations.for_city(city, parts, weak_areas)


def _section_or_new(city: City, kind: str) -> DossierSection:
    if kind not in SPECS:
        raise Http404(_("There is no such dossier section."))
    section = DossierSection.objects.filter(city=city, kind=kind).first()
    return section or DossierSection(city=city, kind=kind)


def _section_forms(request: HttpRequest, section: DossierSection, data=None):
    spec = SPECS[section.kind]
    section_form = SectionForm(
        data, instance=section, spec=spec, initial={"version": section.version}, prefix="section"
    )
    formset_class = row_formset_class(spec)
    rows_formset = None
    if formset_class is not None:
        initial = selectors.section_row_values(section) if section.pk else []
        rows_formset = formset_class(
            data, initial=initial, prefix="rows", city_choices=_city_choices(spec)
        )
    return section_form, rows_formset


def _city_choices(spec) -> list[tuple] | None:
    if "partner_city" not in spec.row_fields:
        return None
    return [("", "---------"), *City.objects.order_by("name").values_list("pk", "name")]


@login_required
def section_edit(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    if not can(request.user, "dossier.edit", city):
        raise PermissionDenied(_("Only the city's coordinators and editors may edit its dossier."))
    section = _section_or_new(city, kind)
    if request.method != "POST":
        section_form, rows_formset = _section_forms(request, section)
        return _render_edit(request, city, section, section_form, rows_formset)

    section_form, rows_formset = _section_forms(request, section, data=request.POST)
    rows_valid = rows_formset is None or rows_formset.is_valid()
    if section_form.is_valid() and rows_valid:
        rows = rows_formset.rows() if rows_formset is not None else []
        if SPECS[kind].has_total:
            check_investment_total(section_form, rows)
    if not (section_form.is_valid() and rows_valid):
        return _render_edit(request, city, section, section_form, rows_formset, status=422)

    data = SectionInput(
        visibility=section_form.cleaned_data["visibility"],
        narrative_md=section_form.cleaned_data.get("narrative_md", ""),
        ambition_md=section_form.cleaned_data.get("ambition_md", ""),
        total_investment_eur=section_form.cleaned_data.get("total_investment_eur"),
        rows=rows,
    )
    try:
        revision = update_section(
            city,
            kind,
            data=data,
            base_version=section_form.cleaned_data["version"],
            by=request.user,
        )
    except EditConflict as conflict:
        return _render_conflict(request, city, conflict.current, section_form, rows_formset)
    if revision is None:
        messages.info(request, _("Nothing changed, so nothing was saved."))
    else:
        messages.success(request, _("Saved. The change is recorded in the section's history."))
    return redirect("cities:detail", slug=city.slug)


def _render_edit(request, city, section, section_form, rows_formset, *, status=200, conflict=None):
    return render(
        request,
        "cities/section_edit.html",
        {
            "city": city,
            "section": section,
            "spec": SPECS[section.kind],
            "form": section_form,
            "rows_formset": rows_formset,
            "conflict": conflict,
        },
        status=status,
    )


def _render_conflict(request, city, current: DossierSection, section_form, rows_formset):
    """Show the editor's own text again, next to what the other person saved meanwhile."""
    current = selectors.section_with_rows(current.pk)
    post = request.POST.copy()
    post["section-version"] = str(current.version)
    # A fresh instance for the form, so validating the posted data cannot alter `current`.
    blank = DossierSection(city=city, kind=current.kind, version=current.version)
    section_form, rows_formset = _section_forms(request, blank, data=post)
    section_form.is_valid()
    if rows_formset is not None:
        rows_formset.is_valid()
    return _render_edit(
        request, city, current, section_form, rows_formset, status=409, conflict=current
    )


def section_history(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    section = _section_or_new(city, kind)
    if section.pk is None or not can(request.user, "dossier.view_history", section):
        raise Http404(_("This section has no history you may see."))
    return render(
        request,
        "cities/section_history.html",
        {
            "city": city,
            "section": section,
            "spec": SPECS[kind],
            "revisions": [
                (revision, change_sentences(revision.changes, SPECS[kind]))
                for revision in selectors.section_revisions(section)
            ],
            "show_versions": can(request.user, "dossier.view_old_versions", section),
        },
    )


# --- The support needs assessment -----------------------------------------------------------------


def _needs_city(request: HttpRequest, slug: str, action: str) -> City:
    city = get_object_or_404(City.objects.select_related("country"), slug=slug)
    if not can(request.user, action, city):
        raise PermissionDenied(
            _("The needs assessment is shared with the city's team, its advisors and the staff.")
            if action == "city.read_assessment"
            else _("Only the city's advisors and the platform staff record its needs assessment.")
        )
    return city


def _show_needs(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    city = _needs_city(request, slug, "city.read_assessment")
    history = selectors.needs_history(city)
    if pk is None:
        shown = history[0] if history else None
    else:
        shown = next((view for view in history if view.assessment.pk == pk), None)
        if shown is None:
            raise Http404(_("This city has no such assessment."))
    context = {
        "city": city,
        "shown": shown,
        "history": history,
        "may_assess": can(request.user, "city.assess_needs", city),
    }
    return render(request, "cities/needs.html", context)


@login_required
def needs(request: HttpRequest, slug: str) -> HttpResponse:
    return _show_needs(request, slug)


@login_required
def needs_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _show_needs(request, slug, pk)


def _render_needs_form(request, city, form, *, current=None, conflict=None, status=200):
    context = {"city": city, "form": form, "current": current, "conflict": conflict}
    return render(request, "cities/needs_form.html", context, status=status)


@login_required
def needs_new(request: HttpRequest, slug: str) -> HttpResponse:
    city = _needs_city(request, slug, "city.assess_needs")
    if request.method != "POST":
        latest = selectors.current_needs(city)
        initial = needs_initial(latest, assessed_on=timezone.localdate())
        initial.pop("version", None)
        return _render_needs_form(request, city, NeedsForm(initial=initial))
    form = NeedsForm(request.POST)
    if form.is_valid():
        try:
            services.record_needs_assessment(city, data=form.needs_input(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment recorded. The city's team is told."))
            return redirect("cities:needs", slug=city.slug)
    return _render_needs_form(request, city, form, status=422)


@login_required
def needs_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city = _needs_city(request, slug, "city.assess_needs")
    current = selectors.current_needs(city)
    if current is None or current.assessment.pk != pk:
        raise Http404(_("Only the city's current assessment may be corrected."))
    if request.method != "POST":
        initial = needs_initial(current, assessed_on=current.assessment.assessed_on)
        return _render_needs_form(request, city, NeedsForm(initial=initial), current=current)
    form = NeedsForm(request.POST)
    if form.is_valid():
        try:
            services.revise_needs_assessment(
                current.assessment, data=form.needs_input(),
                base_version=form.cleaned_data["version"] or 0, by=request.user,
            )  # fmt: skip
        except services.NeedsEditConflict as conflict:
            return _render_needs_form(
                request, city, form, current=current, conflict=conflict.current, status=409
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment corrected."))
            return redirect("cities:needs", slug=city.slug)
    return _render_needs_form(request, city, form, current=current, status=422)
