"""Events: announcing, changing and cancelling them; registering, with a waiting list or a
"full" refusal; moving people up the waiting list as places free up."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.community import eventtime, selectors
from cityzero.community.models import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    ContentStatus,
    Event,
    EventFormat,
    Group,
    Registration,
    RegistrationStatus,
)
from cityzero.community.services.notifications import notify
from cityzero.core.markdown import render_markdown

MAX_CAPACITY = 100_000
MAX_LENGTH = timedelta(days=14)


@dataclass(frozen=True)
class EventInput:
    title: str
    description: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    time_zone: str
    format: str
    online_url: str = ""
    venue: str = ""
    capacity: int | None = None
    waiting_list: bool = True


def event_url(event: Event) -> str:
    return reverse("community:event", args=[event.pk])


def _check(data: EventInput) -> None:
    problems = []
    if not data.title.strip():
        problems.append(_("Give the event a title."))
    elif len(data.title.strip()) > MAX_TITLE:
        problems.append(_("Keep the title to %(n)s characters.") % {"n": MAX_TITLE})
    if len(data.description) > MAX_DESCRIPTION:
        problems.append(
            _("Keep the description to %(n)s characters.") % {"n": f"{MAX_DESCRIPTION:,}"}
        )
    if data.time_zone not in eventtime.zone_names():
        problems.append(_("Choose a time zone from the list."))
    if data.ends_at <= data.starts_at:
        problems.append(_("The event must end after it starts."))
    elif data.ends_at - data.starts_at > MAX_LENGTH:
        problems.append(_("An event lasts at most 14 days."))
    if data.format not in EventFormat.values:
        problems.append(_("Say whether the event is online, in person or both."))
    online = data.format in {EventFormat.ONLINE, EventFormat.HYBRID}
    in_person = data.format in {EventFormat.IN_PERSON, EventFormat.HYBRID}
    if online:
        try:
            URLValidator(schemes=["https", "http"])(data.online_url)
        except ValidationError:
            problems.append(_("Give the link people join online with (https://…)."))
    if in_person and not data.venue.strip():
        problems.append(_("Give the venue's name and address."))
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        problems.append(
            _("Places must be between 1 and %(n)s, or left empty for no limit.")
            % {"n": f"{MAX_CAPACITY:,}"}
        )
    if problems:
        raise ValidationError(problems)


def _apply(event: Event, data: EventInput) -> None:
    online = data.format in {EventFormat.ONLINE, EventFormat.HYBRID}
    in_person = data.format in {EventFormat.IN_PERSON, EventFormat.HYBRID}
    event.title = data.title.strip()
    event.description = data.description.strip()
    event.description_html = render_markdown(event.description)
    event.starts_at, event.ends_at, event.time_zone = data.starts_at, data.ends_at, data.time_zone
    event.format = data.format
    event.online_url = data.online_url.strip() if online else ""
    event.venue = data.venue.strip() if in_person else ""
    event.capacity, event.waiting_list = data.capacity, data.waiting_list


@transaction.atomic
def create_event(group: Group | None, *, data: EventInput, by) -> Event:
    """Announce an event of a group (its members are told) or of the whole platform."""
    _check(data)
    if data.starts_at < timezone.now():
        raise ValidationError(_("The event must start in the future."))
    event = Event(group=group, created_by=by)
    _apply(event, data)
    event.save()
    if group is not None:
        Group.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
        notify(
            [person for person in selectors.active_members(group) if person.pk != by.pk],
            source=f"event:{event.pk}:new",
            kind="event",
            group=group,
            title=_("New event in %(group)s: %(title)s")
            % {"group": group.name, "title": event.title},
            url=event_url(event),
        )
    return event


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("group").get(pk=event.pk)


def _tell_registered(event: Event, *, source: str, title: str, body: str = "") -> None:
    people = [r.user for r in event.registrations.select_related("user")]
    notify(
        people,
        source=source,
        kind="event",
        group=event.group,
        title=title,
        body=body,
        url=event_url(event),
    )


def _confirmed(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _move_up(event: Event) -> list[Registration]:
    """Confirm people from the waiting list, first come first served, while places are free."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).select_related("user")
    if event.capacity is None:
        promoted = list(waiting)
    else:
        free = max(0, event.capacity - _confirmed(event))
        promoted = list(waiting.order_by("created_at", "pk")[:free])
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=RegistrationStatus.CONFIRMED
    )
    for registration in promoted:
        notify(
            [registration.user],
            source=f"registration:{registration.pk}:confirmed",
            kind="event",
            group=event.group,
            url=event_url(event),
            title=_("A place is free for you: %(title)s") % {"title": event.title},
        )
    return promoted


@transaction.atomic
def update_event(event: Event, *, data: EventInput, by) -> Event:
    """Change an event; the people registered are told when its time or place changes."""
    _check(data)
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled; announce a new one instead."))
    before = (event.starts_at, event.ends_at, event.venue, event.online_url)
    _apply(event, data)
    event.sequence += 1
    event.save()
    _move_up(event)
    if before != (event.starts_at, event.ends_at, event.venue, event.online_url):
        _tell_registered(
            event,
            source=f"event:{event.pk}:changed:{event.sequence}",
            title=_("Changed: %(title)s") % {"title": event.title},
            body=_("The time or the place of the event has changed."),
        )
    return event


@transaction.atomic
def cancel_event(event: Event, *, by) -> Event:
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled already."))
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _tell_registered(
        event,
        source=f"event:{event.pk}:cancelled",
        title=_("Cancelled: %(title)s") % {"title": event.title},
    )
    return event


def _open_for_registration(event: Event) -> None:
    if event.status != ContentStatus.VISIBLE:
        raise ValidationError(_("This event is not open for registration."))
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))


@transaction.atomic
def register(event: Event, *, user) -> Registration:
    """A place if one is free; otherwise the waiting list, or a refusal when the event has none."""
    event = _locked(event)
    _open_for_registration(event)
    if event.registrations.filter(user=user).exists():
        raise ValidationError(_("You are registered already."))
    full = event.capacity is not None and _confirmed(event) >= event.capacity
    if full and not event.waiting_list:
        raise ValidationError(_("This event is full."))
    status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
    return Registration.objects.create(event=event, user=user, status=status)


@transaction.atomic
def cancel_registration(event: Event, *, user) -> None:
    """Give up one's place (or one's spot on the waiting list); the next person moves up."""
    event = _locked(event)
    deleted, _counts = event.registrations.filter(user=user).delete()
    if not deleted:
        raise ValidationError(_("You are not registered for this event."))
    if not event.is_cancelled and event.ends_at > timezone.now():
        _move_up(event)
