"""Events: times given in a time zone and shown in it, online or in person, places with a
waiting list or a "full" refusal, moving up the list, cancelling, and bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cityzero.community.models import Event, Notification, Registration
from cityzero.community.services import events
from tests.community.factories import NEXT_MAY, add, event_input, make_event, make_group, person

pytestmark = pytest.mark.django_db
YEAR = NEXT_MAY.year


def form_data(**changes) -> dict:
    data = {
        "title": "Heat workshop",
        "description": "",
        "start_date": f"{YEAR}-05-12",
        "start_time": "14:00",
        "end_date": f"{YEAR}-05-12",
        "end_time": "16:30",
        "time_zone": "Europe/Brussels",
        "format": "in_person",
        "online_url": "",
        "venue": "Rathaus Aachen",
        "capacity": "20",
        "waiting_list": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def keeper_client(client):
    owner = person("Olga Owner")
    group = make_group("Heat planning", owner=owner)
    client.force_login(owner)
    client.group = group
    return client


def new_event_url(group) -> str:
    return reverse("community:group_event_new", args=[group.slug])


# --- announcing ----------------------------------------------------------------------------------


def test_times_are_taken_in_the_zone_given_and_stored_in_utc(keeper_client):
    data = form_data(time_zone="Asia/Tokyo", start_time="09:00", end_time="10:00")
    response = keeper_client.post(new_event_url(keeper_client.group), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == datetime(YEAR, 5, 12, 0, 0, tzinfo=UTC)  # 09:00 JST = 00:00 UTC
    assert (event.time_zone, event.venue, event.capacity) == ("Asia/Tokyo", "Rathaus Aachen", 20)


def test_the_event_is_shown_in_its_zone_and_says_which(keeper_client):
    event = make_event(
        keeper_client.group,
        time_zone="America/New_York",
        starts_at=datetime(YEAR, 5, 12, 16, 0, tzinfo=UTC),
        ends_at=datetime(YEAR, 5, 12, 17, 30, tzinfo=UTC),
    )
    page = keeper_client.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "12:00</time> – <time" in page and "13:30</time>" in page
    assert "Times in America/New_York (UTC−04:00)" in page


def test_a_time_the_clocks_skip_is_refused_with_the_reason(keeper_client):
    data = form_data(
        start_date=f"{YEAR}-03-29", end_date=f"{YEAR}-03-29", start_time="02:30", end_time="04:00"
    )
    # The last Sunday of March: clocks in Brussels jump from 02:00 to 03:00.
    last_sunday = max(
        datetime(YEAR, 3, d) for d in range(25, 32) if datetime(YEAR, 3, d).weekday() == 6
    )
    data.update(start_date=last_sunday.date().isoformat(), end_date=last_sunday.date().isoformat())
    response = keeper_client.post(new_event_url(keeper_client.group), data)
    assert response.status_code == 422
    assert "The clocks skip 02:30" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"end_time": "13:00"}, "The event must end after it starts."),
        ({"end_date": f"{YEAR}-06-12"}, "An event lasts at most 14 days."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"format": "telepathy"}, "Select a valid choice."),
        ({"format": "online", "online_url": ""}, "Give the link people join online with"),
        ({"format": "online", "online_url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"format": "in_person", "venue": " "}, "Give the venue&#x27;s name and address."),
        ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"capacity": "ten"}, "Enter a whole number."),
        ({"capacity": "1000001"}, "less than or equal to 100000"),
        ({"start_date": "2026-13-40"}, "Enter a valid date."),
        ({"start_time": "25:00"}, "Enter a valid time."),
        ({"start_date": "2001-05-12", "end_date": "2001-05-12"}, "must start in the future"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_saved(keeper_client, changes, message):
    response = keeper_client.post(new_event_url(keeper_client.group), form_data(**changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_a_hybrid_event_keeps_both_the_link_and_the_venue_and_others_drop_what_they_lack():
    group = make_group("Heat")
    hybrid = make_event(group, format="hybrid", venue="Town hall")
    assert (hybrid.online_url, hybrid.venue) == ("https://meet.example.org/heat", "Town hall")
    online = make_event(group, format="online", venue="Ignored hall")
    assert online.venue == ""


def test_members_are_told_of_a_new_event_in_their_group():
    owner = person()
    group = make_group("Heat", owner=owner)
    member = add(group)
    event = make_event(group, by=owner, title="Workshop")
    note = Notification.objects.get(recipient=member)
    assert (note.source, note.title) == (f"event:{event.pk}:new", "New event in Heat: Workshop")
    assert not Notification.objects.filter(recipient=owner).exists()


def test_only_moderators_announce_group_events(client):
    group = make_group("Heat")
    client.force_login(add(group))
    assert client.post(new_event_url(group), form_data()).status_code == 403
    assert not Event.objects.exists()


# --- registering ---------------------------------------------------------------------------------


def test_places_then_the_waiting_list_then_moving_up():
    event = make_event(capacity=2, waiting_list=True)
    ann, ben, cat = person("Ann"), person("Ben"), person("Cat")
    assert [events.register(event, user=p).status for p in (ann, ben, cat)] == [
        "confirmed",
        "confirmed",
        "waiting",
    ]
    events.cancel_registration(event, user=ann)
    assert Registration.objects.get(user=cat).status == "confirmed"
    note = Notification.objects.get(recipient=cat)
    assert note.title == "A place is free for you: Heat planning workshop"


def test_a_full_event_without_a_waiting_list_says_it_is_full():
    event = make_event(capacity=1, waiting_list=False)
    events.register(event, user=person())
    with pytest.raises(ValidationError, match="This event is full"):
        events.register(event, user=person())
    assert event.registrations.count() == 1


def test_registering_twice_is_refused():
    event = make_event()
    someone = person()
    events.register(event, user=someone)
    with pytest.raises(ValidationError, match="registered already"):
        events.register(event, user=someone)


def test_more_places_move_people_up_the_waiting_list():
    event = make_event(capacity=1)
    first, second, third = person(), person(), person()
    for someone in (first, second, third):
        events.register(event, user=someone)
    events.update_event(event, data=event_input(capacity=2), by=person())
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "confirmed", third.pk: "waiting"}


def test_a_cancelled_or_past_event_takes_no_registration():
    event = make_event()
    events.cancel_event(event, by=person())
    with pytest.raises(ValidationError, match="cancelled"):
        events.register(event, user=person())
    past = make_event()
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="over"):
        events.register(past, user=person())


def test_cancelling_an_event_tells_the_people_registered_and_changes_its_sequence():
    event = make_event(title="Workshop")
    registered = person()
    events.register(event, user=registered)
    events.cancel_event(event, by=person())
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    assert Notification.objects.get(recipient=registered).title == "Cancelled: Workshop"
    with pytest.raises(ValidationError, match="cancelled already"):
        events.cancel_event(event, by=person())


def test_moving_an_event_tells_the_people_registered():
    event = make_event(title="Workshop")
    registered = person()
    events.register(event, user=registered)
    later = NEXT_MAY + timedelta(days=1)
    events.update_event(
        event,
        data=event_input(title="Workshop", starts_at=later, ends_at=later + timedelta(hours=1)),
        by=person(),
    )
    assert Notification.objects.get(recipient=registered).title == "Changed: Workshop"


def test_the_online_link_is_for_the_people_registered(client):
    event = make_event(format="online")
    client.force_login(person())
    page = client.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "meet.example.org" not in page and "shown to the people registered" in page
    client.post(reverse("community:register", args=[event.pk]))
    assert (
        "meet.example.org"
        in client.get(reverse("community:event", args=[event.pk])).content.decode()
    )


def test_registration_through_the_page_and_cancelling_it(client):
    event = make_event(capacity=1, waiting_list=False)
    client.force_login(person())
    response = client.post(reverse("community:register", args=[event.pk]), follow=True)
    assert "You are registered." in response.content.decode()
    response = client.post(reverse("community:unregister", args=[event.pk]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    response = client.post(reverse("community:unregister", args=[event.pk]), follow=True)
    assert "You are not registered for this event." in response.content.decode()


def test_anonymous_visitors_see_platform_events_and_are_asked_to_sign_in_to_register(client):
    event = make_event(title="Webinar")
    page = client.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "Webinar" in page and "Sign in to register" in page
    response = client.post(reverse("community:register", args=[event.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("community:events")).status_code == 200


def test_an_unknown_event_is_404(client):
    assert client.get(reverse("community:event", args=[999])).status_code == 404


def test_anonymous_visitors_of_a_group_event_are_asked_to_sign_in(client):
    event = make_event(make_group("Heat"))
    for name in ("community:event", "community:event_calendar"):
        response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
