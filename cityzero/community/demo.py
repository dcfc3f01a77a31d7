"""The demo's community: three groups (public, private, secret) with members, discussions with a
mention, a platform webinar and a group workshop, and a shared file. Made through the same
services the pages use; nothing is made twice."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cityzero.community import eventtime
from cityzero.community.models import EventFormat, Group, GroupKind, GroupRole, GroupVisibility
from cityzero.community.services import discussions, events, files, groups, people
from cityzero.core.uploads import MARKDOWN
from cityzero.knowledge.models import Tag

ILLUSTRATIVE = "*Illustrative demonstration content.*\n\n"

HEAT_GROUP = "District heating and cooling"
PILOTS_GROUP = "Pilot Cities 2024 cohort"
BOARD_GROUP = "Mission Board preparation"


@dataclass
class DemoCommunity:
    groups: int
    kept: int


def _at(days: int, hour: int, zone: str) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return eventtime.instant(day, time(hour, 0), zone)


def _show_profile(user: Any, *, job_title: str, languages: list[str], tags: list[str]) -> None:
    profile = people.ensure_profile(user)
    people.update_profile(
        user, visible=True, handle=profile.handle, job_title=job_title, bio=ILLUSTRATIVE.strip(),
        languages=languages, expertise=list(Tag.objects.filter(code__in=tags)),
    )  # fmt: skip


def _join(group: Group, user: Any, role: str = GroupRole.MEMBER) -> None:
    if group.visibility == GroupVisibility.PUBLIC:
        groups.join_group(group, user=user)
    else:
        groups.invite(group, email=user.email, by=group.created_by)
        groups.answer_invitation(group, user=user, accept=True)
    if role != GroupRole.MEMBER:
        place = group.memberships.get(user=user)
        groups.change_role(place, role=role, by=group.created_by)


def load_demo_community(*, staff, coordinator, editor, colleague, viewer, valencia, advisor):
    """The demo groups, unless they are there already."""
    if Group.objects.filter(name=HEAT_GROUP).exists():
        return DemoCommunity(0, Group.objects.count())
    _show_profile(editor, job_title="Energy planner, City of Aachen", languages=["de", "en"],
                  tags=["energy", "buildings"])  # fmt: skip
    _show_profile(valencia, job_title="Climate coordinator, València", languages=["es", "en"],
                  tags=["mobility", "governance"])  # fmt: skip
    _show_profile(advisor, job_title="Climate-Neutral City Advisor", languages=["en", "fr"],
                  tags=["finance"])  # fmt: skip
    heat = groups.create_group(
        name=HEAT_GROUP, kind=GroupKind.THEMATIC, visibility=GroupVisibility.PUBLIC,
        summary="Planning, financing and building heat networks in mission cities.",
        description=ILLUSTRATIVE + "Share heat plans, tenders and lessons from district "
        "heating and cooling projects. Everyone signed in is welcome.",
        owner=advisor, by=staff,
    )  # fmt: skip
    for person in (editor, valencia, colleague):
        _join(heat, person)
    _join(heat, coordinator, GroupRole.MODERATOR)
    pilots = groups.create_group(
        name=PILOTS_GROUP, kind=GroupKind.PROGRAMME, visibility=GroupVisibility.PRIVATE,
        summary="The cities of the 2024 Pilot Cities cohort and their advisors.",
        description=ILLUSTRATIVE + "Reporting dates, tranche questions and peer learning for "
        "the cohort. Ask to join if your city takes part.",
        owner=staff, by=staff,
    )  # fmt: skip
    for person in (valencia, advisor):
        _join(pilots, person)
    groups.ask_to_join(pilots, user=viewer, message="Aachen follows the pilots closely.")
    board = groups.create_group(
        name=BOARD_GROUP, kind=GroupKind.CAPABILITY, visibility=GroupVisibility.SECRET,
        summary="Preparing the platform's report to the Mission Board.",
        description=ILLUSTRATIVE + "Drafts for the Mission Board; invitation only.",
        owner=staff, by=staff,
    )  # fmt: skip
    _join(board, advisor, GroupRole.MODERATOR)

    handle = people.ensure_profile(valencia).handle
    talk = discussions.start_discussion(
        heat, title="Tendering a heat network concession", by=editor,
        body=ILLUSTRATIVE + "We are about to tender a **30-year concession** for a new heat "
        f"network. Which award criteria worked for you? @{handle}, València did this in 2023?",
    )  # fmt: skip
    opening = talk.posts.get()
    answer = discussions.reply(
        talk, parent=opening, by=valencia,
        body=ILLUSTRATIVE + "We weighted price 40%, CO₂ per MWh 35% and connection fees for "
        "households 25%. Happy to share the tender documents.",
    )  # fmt: skip
    discussions.reply(talk, parent=answer, by=coordinator,
                      body=ILLUSTRATIVE + "That would help a lot, thank you.")  # fmt: skip
    discussions.start_discussion(
        pilots, title="Interim report template", by=valencia,
        body=ILLUSTRATIVE + "Does the interim report need the indicator sheets already?",
    )  # fmt: skip

    events.create_event(None, by=staff, data=events.EventInput(
        title="Webinar: financing heat networks", format=EventFormat.ONLINE,
        description=ILLUSTRATIVE + "EIB and two cities on financing district heating.",
        starts_at=_at(14, 14, "Europe/Brussels"), ends_at=_at(14, 16, "Europe/Brussels"),
        time_zone="Europe/Brussels", online_url="https://meet.example.org/heat-finance",
        capacity=100,
    ))  # fmt: skip
    events.create_event(heat, by=advisor, data=events.EventInput(
        title="Study visit: València's heat pilot", format=EventFormat.IN_PERSON,
        description=ILLUSTRATIVE + "A morning at the pilot district, then lunch.",
        starts_at=_at(30, 9, "Europe/Madrid"), ends_at=_at(30, 13, "Europe/Madrid"),
        time_zone="Europe/Madrid", venue="Ajuntament de València, Plaça de l'Ajuntament 1",
        capacity=12, waiting_list=True,
    ))  # fmt: skip
    checklist = SimpleUploadedFile(
        "heat-tender-checklist.md",
        (ILLUSTRATIVE + "# Heat network tender checklist\n\n- Heat demand map\n"
         "- Connection obligation\n- Price cap and indexation\n").encode(),
    )  # fmt: skip
    checklist.kind = MARKDOWN
    files.share_file(heat, upload=checklist, description="What our tender had to cover",
                     by=valencia)  # fmt: skip
    return DemoCommunity(3, 0)
