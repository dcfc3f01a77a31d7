"""Illustrative progress on the Climate Transition Map for the demo city. Safe to run again."""

from cityzero.cities.models import City
from cityzero.transition.models import StepProgress, StepStatus
from cityzero.transition.services import report_progress

# step code, status, note, evidence link
DEMO_PROGRESS = (
    ("political-commitment", StepStatus.DONE,
     "Council resolution on climate neutrality by 2030 adopted with a cross-party majority.", ""),
    ("mission-team", StepStatus.DONE,
     "A mission unit of six people in the mayor's office, with a lead in each department.", ""),
    ("shared-vision", StepStatus.DONE,
     "Vision written with the city's climate council; published on the dossier.", ""),
    ("multi-level-support", StepStatus.IN_PROGRESS,
     "Talks with the state energy agency on co-funding the heat network.", ""),
    ("capacity-needs", StepStatus.DONE, "Support needs assessment run with our city advisor.", ""),
    ("baseline-inventory", StepStatus.DONE, "Baseline inventory for 2022 finalised.", ""),
    ("policy-review", StepStatus.IN_PROGRESS,
     "Existing plans reviewed for buildings and transport; waste still to do.", ""),
    ("stakeholder-map", StepStatus.IN_PROGRESS, "", ""),
    ("engage-citizens", StepStatus.IN_PROGRESS,
     "A citizens' assembly of 60 people drawn by lot meets from March.", ""),
    ("impact-pathways", StepStatus.IN_PROGRESS, "", ""),
)  # fmt: skip


def load_demo_transition(city: City, *, by) -> int:
    """Report the demo progress on the steps the city has not reported yet; how many were."""
    reported = set(StepProgress.objects.filter(city=city).values_list("step", flat=True))
    added = 0
    for step, status, note, evidence_url in DEMO_PROGRESS:
        if step in reported:
            continue
        report_progress(
            city, step, status=status, note=note, evidence_url=evidence_url, base_version=0, by=by
        )
        added += 1
    return added
