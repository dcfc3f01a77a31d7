from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.core.cache import cache_public_page
from cityzero.core.markdown import render_markdown
from cityzero.transition import selectors, services
from cityzero.transition.charts import city_map_svg, public_map_svg
from cityzero.transition.forms import ProgressForm
from cityzero.transition.models import StepProgress
from cityzero.transition.phases import BY_CODE, PHASES, STEP_BY_CODE, Phase, Step, neighbours

REFUSED = gettext_lazy(
    "Only the city's coordinators and editors may report its progress on the map."
)


@lru_cache(maxsize=512)
def _guidance_html(code: str, language: str | None) -> str:
    return render_markdown(str(STEP_BY_CODE[code].guidance))


def _phase_or_404(code: str) -> Phase:
    try:
        return BY_CODE[code]
    except KeyError:
        raise Http404(_("There is no such phase on the Climate Transition Map.")) from None


def _step_or_404(code: str) -> Step:
    try:
        return STEP_BY_CODE[code]
    except KeyError:
        raise Http404(_("There is no such step on the Climate Transition Map.")) from None


def _city_or_404(slug: str) -> City:
    try:
        return selectors.city_for_map(slug)
    except City.DoesNotExist:
        raise Http404(_("There is no city at this address.")) from None


@cache_public_page
def map_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transition/map.html",
        {
            "phases": PHASES,
            "map_svg": public_map_svg(),
            "my_cities": selectors.team_cities(request.user),
        },
    )


@cache_public_page
def phase_page(request: HttpRequest, phase: str) -> HttpResponse:
    current = _phase_or_404(phase)
    index = PHASES.index(current)
    return render(
        request,
        "transition/phase.html",
        {
            "phase": current,
            "phases": PHASES,
            "previous": PHASES[index - 1],
            "next": PHASES[(index + 1) % len(PHASES)],
            "entries": selectors.phase_entries(current),
        },
    )


@cache_public_page
def step_page(request: HttpRequest, phase: str, step: str) -> HttpResponse:
    current = _step_or_404(step)
    if current.phase != phase:
        return redirect("transition:step", phase=current.phase, step=current.code, permanent=True)
    cities = selectors.team_cities(request.user)
    tool_city = selectors.tool_city(cities[0]) if cities else None
    previous, following = neighbours(current)
    return render(
        request,
        "transition/step.html",
        {
            "step": current,
            "phase": BY_CODE[current.phase],
            "phases": PHASES,
            "guidance_html": _guidance_html(current.code, get_language()),
            "tools": [tool.link(tool_city) for tool in current.tools],
            "tool_city": tool_city,
            "reports": list(zip(cities, selectors.step_reports(cities, current), strict=True)),
            "entries": selectors.step_entries(current),
            "previous": previous,
            "next": following,
        },
    )


@cache_public_page
def city_map(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_or_404(slug)
    progress = selectors.city_progress(city)
    return render(
        request,
        "transition/city_map.html",
        {
            "city": city,
            "progress": progress,
            "map_svg": city_map_svg(city.slug, city.name, progress.statuses),
            "can_report": can(request.user, "transition.report", city),
        },
    )


@cache_public_page
def city_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    city = _city_or_404(slug)
    current = _step_or_404(step)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    can_report = can(request.user, "transition.report", city)
    if request.method == "POST" and not can_report:
        raise PermissionDenied(REFUSED)
    progress = selectors.step_progress(city, current)
    if request.method != "POST":
        form = ProgressForm(initial=_initial(progress)) if can_report else None
        return _render_step(request, city, current, progress, form, can_report)

    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _render_step(request, city, current, progress, form, can_report, status=422)
    data = form.cleaned_data
    try:
        revision = services.report_progress(
            city,
            current.code,
            status=data["status"],
            note=data["note"],
            evidence_url=data["evidence_url"],
            base_version=data["version"],
            by=request.user,
        )
    except services.EditConflict as conflict:
        return _render_conflict(request, city, current, conflict.current)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _render_step(request, city, current, progress, form, can_report, status=422)
    if revision is None:
        messages.info(request, _("Nothing changed, so nothing was saved."))
    else:
        messages.success(
            request,
            _("Progress on “%(step)s” saved. The change is recorded in the step's history.")
            % {"step": current.heading},
        )
    return redirect(reverse("transition:city", args=[city.slug]) + f"#step-{current.code}")


def _initial(progress: StepProgress | None) -> dict:
    if progress is None:
        return {"version": 0, "status": "not_started"}
    return {
        "version": progress.version,
        "status": progress.status,
        "note": progress.note,
        "evidence_url": progress.evidence_url,
    }


def _render_step(request, city, step, progress, form, can_report, *, status=200, conflict=None):
    tool_city = selectors.tool_city(city)
    return render(
        request,
        "transition/city_step.html",
        {
            "city": city,
            "step": step,
            "phase": BY_CODE[step.phase],
            "progress": progress,
            "row": selectors.StepRow(step, progress),
            "revisions": selectors.progress_revisions(progress),
            "form": form,
            "can_report": can_report,
            "conflict": conflict,
            "tools": [tool.link(tool_city) for tool in step.tools] if can_report else [],
        },
        status=status,
    )


def _render_conflict(request, city, step, current: StepProgress) -> HttpResponse:
    """Show the editor's own entries again, next to what the other person saved meanwhile."""
    post = request.POST.copy()
    post["version"] = str(current.version)
    form = ProgressForm(post)
    form.is_valid()
    progress = selectors.step_progress(city, step)
    return _render_step(request, city, step, progress, form, True, status=409, conflict=current)
