"""The pages of Ask an expert: forms, refusals (404 rather than a leak), filters, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.knowledge.models import Entry, EntryStatus
from cityzero.support import services
from cityzero.support.forms import RequestForm
from cityzero.support.models import ExpertRequest, RequestStatus, Side
from tests.core.test_uploads import PDF_BYTES, PNG_BYTES
from tests.factories import CityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import pdf, taxonomy
from tests.support.factories import answered, ask, expert, routed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]


@pytest.fixture
def editor(city):
    return MembershipFactory(city=city, role=CityRole.EDITOR, user__full_name="Eda Editor").user


@pytest.fixture
def staff(settings_without_mfa):
    return UserFactory(platform_role=PlatformRole.STAFF, full_name="Sam Staff")


def url(name: str, request: ExpertRequest, **more) -> str:
    return reverse(f"support:{name}", args=[request.city.slug, request.pk, *more.values()])


# --- asking ---------------------------------------------------------------------------------------


def test_a_city_member_asks_a_question_with_an_attachment(client, city, editor):
    client.force_login(editor)
    data = {"topic": "Heat planning", "field_of_action": "energy",
            "question": "Where do we **start**?",
            "files": [SimpleUploadedFile("brief.pdf", PDF_BYTES)]}  # fmt: skip
    response = client.post(reverse("support:new", args=[city.slug]), data)
    request = ExpertRequest.objects.get()
    assert response.status_code == 302 and response.url == url("request", request)
    assert request.requester == editor and request.field_of_action == "energy"
    page = client.get(response.url).content.decode()
    assert "<strong>start</strong>" in page and "brief.pdf" in page
    assert "Your question is sent." in page


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, "This field is required."),
        ({"topic": "", "question": "How?"}, "This field is required."),
        ({"topic": "Heat", "question": ""}, "This field is required."),
        ({"topic": "Heat", "question": "q" * 10_001},
         "Ensure this value has at most 10000 characters (it has 10001)."),
        ({"topic": "Heat", "question": "How?", "field_of_action": "space"},
         "Select a valid choice. space is not one of the available choices."),
        ({"topic": "Heat", "question": "How?",
          "files": [SimpleUploadedFile("run.exe", b"MZ\x90\x00")]}, "Files of this type are not accepted."),
        ({"topic": "Heat", "question": "How?",
          "files": [SimpleUploadedFile("plan.pdf", PNG_BYTES)]}, "is not a .pdf file"),
        ({"topic": "Heat", "question": "How?",
          "files": [SimpleUploadedFile(f"p{n}.pdf", PDF_BYTES) for n in range(6)]},
         "Attach at most 5 files at a time."),
    ],
)  # fmt: skip
def test_a_bad_question_is_shown_again_with_the_reason_and_nothing_is_saved(
    client, city, editor, data, problem
):
    client.force_login(editor)
    response = client.post(reverse("support:new", args=[city.slug]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "The question was not sent." in page and problem in page.replace("&quot;", '"')
    assert not ExpertRequest.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, city, editor, monkeypatch):
    monkeypatch.setattr(RequestForm.base_fields["files"], "max_bytes", 100)
    client.force_login(editor)
    big = SimpleUploadedFile("plan.pdf", PDF_BYTES + b" " * 200)
    response = client.post(reverse("support:new", args=[city.slug]),
                           {"topic": "Heat", "question": "How?", "files": [big]})  # fmt: skip
    assert response.status_code == 422 and "the limit is" in response.content.decode()
    assert not ExpertRequest.objects.exists()


@pytest.mark.parametrize("role", ["member", "editor_of_other_city", "advisor_of_city", "staff"])
def test_only_the_citys_team_asks(client, city, make_person, settings_without_mfa, role):
    client.force_login(make_person(role))
    response = client.post(reverse("support:new", args=[city.slug]),
                           {"topic": "Heat", "question": "How?"})  # fmt: skip
    assert response.status_code == 403 and not ExpertRequest.objects.exists()


def test_a_viewer_asks_too(client, city, make_person):
    client.force_login(make_person("viewer"))
    response = client.post(reverse("support:new", args=[city.slug]),
                           {"topic": "Heat", "question": "How?"})  # fmt: skip
    assert response.status_code == 302 and ExpertRequest.objects.count() == 1


def test_signing_in_comes_first(client, city):
    response = client.get(reverse("support:new", args=[city.slug]))
    assert response.status_code == 302 and "login" in response.url


# --- who sees a request ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["member", "editor_of_other_city", "advisor_of_city", "advisor_elsewhere", "reviewer",
             "officer"],
)  # fmt: skip
def test_a_request_does_not_exist_for_outsiders(client, city, make_person, role):
    request = ask(city, files=[pdf("brief.pdf")])
    client.force_login(make_person(role))
    for address in (url("request", request), url("attachment", request, file=_file(request))):
        assert client.get(address).status_code == 404
    assert client.post(url("reply", request), {"body": "Hello"}).status_code == 404
    assert not request.messages.exists()


def _file(request) -> int:
    return request.attachments.get().pk


def test_another_citys_request_under_ones_own_city_is_not_found(client, city, editor):
    elsewhere = ask(CityFactory(name="Valencia"))
    client.force_login(editor)
    address = reverse("support:request", args=[city.slug, elsewhere.pk])
    assert client.get(address).status_code == 404
    reply = reverse("support:reply", args=[city.slug, elsewhere.pk])
    assert client.post(reply, {"body": "Mine now?"}).status_code == 404
    assert not elsewhere.messages.exists()


def test_the_assigned_expert_reads_the_request_and_downloads_its_files(client, city):
    request = ask(city, files=[pdf("brief.pdf")])
    person = expert()
    services.route_request(request, expert=person, by=UserFactory(platform_role="staff"))
    client.force_login(person)
    assert client.get(url("request", request)).status_code == 200
    download = client.get(url("attachment", request, file=_file(request)))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"


def test_an_expert_replaced_by_another_no_longer_sees_the_request(client, city, staff):
    request = routed(city)
    first = request.expert
    services.route_request(request, expert=expert(), by=staff)
    client.force_login(first)
    assert client.get(url("request", request)).status_code == 404


# --- the thread -----------------------------------------------------------------------------------


def test_the_expert_answers_and_the_editor_sees_the_answer(client, city, editor):
    request = routed(city, by=editor)
    client.force_login(request.expert)
    response = client.post(url("reply", request), {"body": "Use an **EPC**.", "kind": "answer"})
    assert response.status_code == 302
    assert ExpertRequest.objects.get(pk=request.pk).status == RequestStatus.ANSWERED
    client.force_login(editor)
    page = client.get(url("request", request)).content.decode()
    assert "Use an <strong>EPC</strong>." in page and "Answered" in page


def test_a_city_member_cannot_send_the_answer(client, city, editor):
    request = routed(city, by=editor)
    client.force_login(editor)
    response = client.post(url("reply", request), {"body": "Solved.", "kind": "answer"})
    assert response.status_code == 403 and not request.messages.exists()


def test_an_empty_reply_is_shown_again_with_the_reason(client, city, editor):
    request = routed(city, by=editor)
    client.force_login(editor)
    response = client.post(url("reply", request), {"body": "  "})
    assert response.status_code == 422
    assert "Nothing was sent." in response.content.decode()
    assert not request.messages.exists()


def test_a_reply_to_a_closed_request_is_refused_with_the_reason(client, city, editor):
    request = routed(city, by=editor)
    services.close_request(request, by=editor)
    client.force_login(editor)
    response = client.post(url("reply", request), {"body": "Hello?"})
    assert response.status_code == 422
    assert "This request is closed." in response.content.decode()


def test_the_city_closes_its_request(client, city, editor):
    request = answered(city, by=editor)
    client.force_login(MembershipFactory(city=city, role=CityRole.VIEWER).user)
    assert client.post(url("close", request)).status_code == 302
    assert ExpertRequest.objects.get(pk=request.pk).status == RequestStatus.CLOSED


# --- routing --------------------------------------------------------------------------------------


def test_staff_route_a_request_to_an_expert_shown_with_their_open_load(client, city, staff):
    busy = expert(full_name="Bea Busy")
    routed(city, to=busy)
    routed(city, to=busy)
    free = UserFactory(platform_role=PlatformRole.ADVISOR, full_name="Fay Free")
    request = ask(city)
    client.force_login(staff)
    page = client.get(url("request", request)).content.decode()
    assert "Fay Free (City advisor), 0 open" in page and "Bea Busy (Reviewer), 2 open" in page
    assert page.index("Fay Free") < page.index("Bea Busy")  # least busy first
    response = client.post(url("route", request), {"expert": free.pk})
    assert response.status_code == 302
    assert ExpertRequest.objects.get(pk=request.pk).expert == free


@pytest.mark.parametrize("who", ["member", "staff", "missing"])
def test_routing_to_a_non_expert_is_refused(client, city, staff, who):
    request = ask(city)
    target = {"member": lambda: UserFactory().pk, "staff": lambda: staff.pk,
              "missing": lambda: 999_999}[who]()  # fmt: skip
    client.force_login(staff)
    response = client.post(url("route", request), {"expert": target})
    assert response.status_code == 422
    assert "Choose one of the listed experts" in response.content.decode()
    assert ExpertRequest.objects.get(pk=request.pk).expert is None


# --- consent and publication ----------------------------------------------------------------------


def test_an_editor_gives_consent_with_the_checkbox_and_staff_publish(client, city, editor, staff):
    request = answered(city, by=editor, topic="Heat planning")
    client.force_login(editor)
    client.post(url("consent", request), {"consent": "on"})
    request.refresh_from_db()
    assert request.consent_by == editor
    taxonomy()
    client.force_login(staff)
    form = client.get(url("publish", request))
    assert form.status_code == 200 and "Heat planning" in form.content.decode()
    data = {"title": "Planning heat", "summary": "How to start.", "body": "Start with a map.",
            "tags": ["energy"]}  # fmt: skip
    response = client.post(url("publish", request), data)
    entry = Entry.objects.get(title="Planning heat")
    assert response.status_code == 302 and response.url == f"/knowledge/{entry.slug}/"
    assert entry.status == EntryStatus.PUBLISHED
    assert ExpertRequest.objects.get(pk=request.pk).published_entry == entry


def test_an_unticked_box_withdraws_consent(client, city, editor):
    request = answered(city, by=editor)
    services.set_consent(request, consent=True, by=editor)
    client.force_login(editor)
    client.post(url("consent", request), {})
    assert not ExpertRequest.objects.get(pk=request.pk).has_consent


def test_a_viewer_cannot_consent_for_the_city(client, city, editor):
    request = answered(city, by=editor)
    client.force_login(MembershipFactory(city=city, role=CityRole.VIEWER).user)
    assert client.post(url("consent", request), {"consent": "on"}).status_code == 403
    assert not ExpertRequest.objects.get(pk=request.pk).has_consent


def test_publishing_without_consent_is_refused_with_the_reason(client, city, editor, staff):
    request = answered(city, by=editor)
    taxonomy()
    client.force_login(staff)
    data = {"title": "T", "summary": "S", "body": "B", "tags": ["energy"]}
    response = client.post(url("publish", request), data)
    assert response.status_code == 422
    assert "The city has not agreed to publish this answer." in response.content.decode()
    assert not Entry.objects.exists()


def test_a_city_member_cannot_publish(client, city, editor):
    request = answered(city, by=editor)
    services.set_consent(request, consent=True, by=editor)
    client.force_login(editor)
    assert client.get(url("publish", request)).status_code == 403


# --- the staff's queue and the expert's list -------------------------------------------------------


def _overdue(request: ExpertRequest) -> None:
    ExpertRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )


def test_the_queue_flags_overdue_requests_and_filters_them(client, city, staff):
    late = ask(city, topic="Late question")
    _overdue(late)
    ask(city, topic="Fresh question", field_of_action="mobility")
    done = answered(city, topic="Answered question")
    _overdue(done)  # answered: not overdue, whatever its date
    client.force_login(staff)
    page = client.get(reverse("support:queue")).content.decode()
    assert "1 request is overdue." in page and "Overdue: due" in page
    assert page.index("Late question") < page.index("Fresh question")  # soonest due first
    only_late = client.get(reverse("support:queue"), {"overdue": "on", "status": ""})
    assert "Late question" in only_late.content.decode()
    assert "Fresh question" not in only_late.content.decode()
    mobility = client.get(
        reverse("support:queue"), {"field_of_action": "mobility", "status": "open"}
    )
    assert "Fresh question" in mobility.content.decode()
    assert "Late question" not in mobility.content.decode()
    answered_only = client.get(reverse("support:queue"), {"status": "answered"}).content.decode()
    assert "Answered question" in answered_only and "Late question" not in answered_only


def test_the_queue_ignores_filters_it_does_not_know(client, city, staff):
    ask(city, topic="Any question")
    client.force_login(staff)
    response = client.get(reverse("support:queue"), {"status": "nonsense", "field_of_action": "x"})
    assert response.status_code == 200 and "Any question" in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "reviewer", "advisor_of_city", "member"])
def test_the_queue_is_for_staff_only(client, make_person, role):
    client.force_login(make_person(role))
    assert client.get(reverse("support:queue")).status_code == 403


def test_an_expert_sees_the_requests_routed_to_them(client, city):
    person = expert()
    routed(city, to=person, topic="Waiting for me")
    done = answered(city, to=person, topic="Done by me")
    services.close_request(done, by=done.requester)
    routed(city, topic="Someone else's")
    client.force_login(person)
    page = client.get(reverse("support:mine")).content.decode()
    assert "Waiting for me" in page and "Done by me" in page and "Someone else" not in page
    assert page.index("Waiting for me") < page.index("Done by me")


def test_someone_who_is_not_an_expert_has_no_requests(client, city):
    request = routed(city)
    request.expert.platform_role = PlatformRole.NONE
    request.expert.save()
    client.force_login(request.expert)
    assert request.topic not in client.get(reverse("support:mine")).content.decode()


def test_the_citys_list_shows_only_its_requests(client, city, editor):
    ask(city, topic="Ours", by=editor)
    ask(CityFactory(name="Valencia"), topic="Theirs")
    client.force_login(editor)
    page = client.get(reverse("support:city_requests", args=[city.slug])).content.decode()
    assert "Ours" in page and "Theirs" not in page and "Ask a new question" in page


def test_staff_see_a_citys_list_but_cannot_ask(client, city, staff):
    client.force_login(staff)
    page = client.get(reverse("support:city_requests", args=[city.slug])).content.decode()
    assert "Ask a new question" not in page


def test_outsiders_do_not_see_a_citys_list(client, city, make_person):
    client.force_login(make_person("advisor_of_city"))
    assert client.get(reverse("support:city_requests", args=[city.slug])).status_code == 403


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_citys_list_reads_a_fixed_number_of_queries(
    client, city, editor, django_assert_num_queries, count
):
    for n in range(count):
        answered(city, topic=f"Question {n}")
    client.force_login(editor)
    client.get(reverse("support:city_requests", args=[city.slug]))  # warm the session
    # session, user, roles (2), city, unread count, the requests with their people and counts
    with django_assert_num_queries(7):
        assert client.get(reverse("support:city_requests", args=[city.slug])).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_queue_reads_a_fixed_number_of_queries(
    client, city, staff, django_assert_num_queries, count
):
    for n in range(count):
        routed(city, topic=f"Question {n}")
    client.force_login(staff)
    # session, user, roles (2), unread count, the page's requests, their count, the overdue count
    with django_assert_num_queries(8):
        assert client.get(reverse("support:queue")).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_expert_list_reads_a_fixed_number_of_queries(
    client, city, django_assert_num_queries, count
):
    person = expert()
    for n in range(count):
        routed(city, to=person, topic=f"Question {n}")
    client.force_login(person)
    client.get(reverse("support:mine"))
    # session, user, unread count, the requests
    with django_assert_num_queries(4):
        assert client.get(reverse("support:mine")).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_request_page_reads_a_fixed_number_of_queries(
    client, city, staff, django_assert_num_queries, count
):
    request = routed(city)
    for n in range(count):
        services.post_message(request, body=f"Message {n}", side=Side.EXPERT, files=[pdf("brief.pdf")],
                              by=request.expert)  # fmt: skip
    client.force_login(staff)
    # session, user, roles (2), unread count, the request with its people, messages, files,
    # steps, the experts with their load
    with django_assert_num_queries(10):
        assert client.get(url("request", request)).status_code == 200
