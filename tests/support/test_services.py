"""Filing, routing, answering and publishing: what is checked, what is saved, who is told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cityzero.accounts.models import CityMembership, CityRole, PlatformRole
from cityzero.community.models import Notification
from cityzero.knowledge.models import EntryStatus
from cityzero.support import services
from cityzero.support.models import MAX_QUESTION, ExpertRequest, RequestAttachment, Side
from tests.core.test_uploads import PDF_BYTES
from tests.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import pdf, taxonomy
from tests.support.factories import answered, ask, expert, routed

pytestmark = pytest.mark.django_db


def told(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("title", flat=True))


# --- filing -------------------------------------------------------------------------------------


def test_filing_keeps_the_question_rendered_and_its_files(city):
    request = ask(city, question="Which **financing**? <script>x()</script>",
                  field_of_action="buildings", files=[pdf("audit 2024.pdf")])  # fmt: skip
    assert request.question_html == "<p>Which <strong>financing</strong>? </p>"
    assert request.field_of_action == "buildings"
    (attached,) = request.attachments.all()
    assert attached.name == "audit_2024.pdf" and attached.message is None
    assert attached.stored_name.endswith(".pdf") and "audit" not in attached.stored_name
    assert attached.file.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"topic": "  "}, "Say in a few words what it is about."),
        ({"question": ""}, "Write your question."),
        ({"topic": "x" * 201}, "Keep it to 200 characters or fewer; this is 201."),
        ({"question": "q" * (MAX_QUESTION + 1)}, "Keep it to 10,000 characters or fewer; this is 10,001."),
        ({"field_of_action": "space"}, "Choose one of the five fields of action, or none."),
        ({"files": [pdf() for _n in range(6)]}, "Attach at most 5 files at a time."),
    ],
)  # fmt: skip
def test_a_bad_request_is_refused_with_the_reason_and_nothing_is_saved(city, fields, problem):
    data = {"topic": "Retrofits", "question": "How?", **fields}
    asker = MembershipFactory(city=city).user
    with pytest.raises(ValidationError) as refused:
        services.file_request(city, by=asker, **data)
    assert problem in refused.value.messages
    assert not ExpertRequest.objects.exists() and not RequestAttachment.objects.exists()


def test_every_problem_is_said_at_once(city):
    with pytest.raises(ValidationError) as refused:
        services.file_request(city, topic="", question="", by=MembershipFactory(city=city).user)
    assert refused.value.messages == [
        "Say in a few words what it is about.",
        "Write your question.",
    ]


def test_the_staff_are_told_when_a_city_asks(city):
    staff = UserFactory(platform_role=PlatformRole.STAFF)
    inactive = UserFactory(platform_role=PlatformRole.STAFF, is_active=False)
    reviewer = expert()
    with_due = ask(city, topic="Heat planning")
    assert told(staff) == ["Aachen asks an expert: Heat planning"]
    assert told(inactive) == [] and told(reviewer) == []
    note = Notification.objects.get(recipient=staff)
    assert note.url == f"/cities/aachen/support/{with_due.pk}/"


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "person",
    [
        lambda: UserFactory(platform_role=PlatformRole.NONE),
        lambda: UserFactory(platform_role=PlatformRole.STAFF),
        lambda: UserFactory(platform_role=PlatformRole.COMMISSION_OFFICER),
        lambda: UserFactory(platform_role=PlatformRole.REVIEWER, is_active=False),
    ],
    ids=["member", "staff", "officer", "inactive reviewer"],
)
def test_routing_to_someone_who_is_not_an_active_expert_is_refused(city, person):
    request = ask(city)
    with pytest.raises(ValidationError, match="is not a thematic expert"):
        services.route_request(request, expert=person(), by=UserFactory(platform_role="staff"))
    request.refresh_from_db()
    assert request.status == "submitted" and request.expert is None


@pytest.mark.parametrize("role", [PlatformRole.REVIEWER, PlatformRole.ADVISOR])
def test_reviewers_and_advisors_are_experts(city, role):
    request = ask(city)
    person = UserFactory(platform_role=role)
    services.route_request(request, expert=person, by=UserFactory(platform_role="staff"))
    assert ExpertRequest.objects.get(pk=request.pk).expert == person


def test_the_expert_and_the_city_are_told_when_a_request_is_routed(city):
    request = ask(city, topic="Heat planning")
    person = expert(full_name="Ella Expert")
    services.route_request(request, expert=person, by=UserFactory(platform_role="staff"))
    assert told(person) == ["Please answer Aachen: Heat planning"]
    assert told(request.requester) == ["Your question “Heat planning” is with an expert"]
    assert (
        Notification.objects.get(recipient=request.requester).body == "Ella Expert will answer it."
    )


def test_someone_who_left_the_team_is_not_told_any_more(city):
    request = ask(city, topic="Heat planning")
    CityMembership.objects.filter(user=request.requester).delete()
    services.route_request(request, expert=expert(), by=UserFactory(platform_role="staff"))
    assert told(request.requester) == []


# --- the thread ---------------------------------------------------------------------------------


def test_the_city_is_told_of_the_answer_and_the_expert_of_the_citys_reply(city):
    request = routed(city, topic="Heat planning")
    services.post_message(request, body="Like this.", side=Side.EXPERT, answer=True,
                          by=request.expert)  # fmt: skip
    assert told(request.requester)[0] == "Your question “Heat planning” is answered"
    colleague = MembershipFactory(city=city, role=CityRole.VIEWER).user
    services.post_message(request, body="Thanks, and kindergartens?", side=Side.CITY, by=colleague)
    assert told(request.expert)[0] == "Aachen wrote on “Heat planning”"
    assert told(colleague) == []  # nobody is told of their own message


def test_messages_are_sent_by_email_after_the_commit(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = routed(city, topic="Heat planning")
    assert [m.subject for m in mail.outbox][-1] == (
        "[CityZero] Your question “Heat planning” is with an expert"
    )
    assert request.expert.email in [m.to[0] for m in mail.outbox]


@pytest.mark.parametrize(
    ("body", "problem"),
    [("   ", "Write your message first."), ("b" * (MAX_QUESTION + 1), "Keep it to 10,000")],
)
def test_an_empty_or_huge_message_is_refused(city, body, problem):
    request = routed(city)
    with pytest.raises(ValidationError, match=problem):
        services.post_message(request, body=body, side=Side.EXPERT, by=request.expert)
    assert not request.messages.exists()


def test_a_reply_keeps_its_attachments(city):
    request = routed(city)
    message = services.post_message(request, body="See the guide.", side=Side.EXPERT,
                                    files=[pdf("guide.pdf")], by=request.expert)  # fmt: skip
    assert list(message.attachments.values_list("name", flat=True)) == ["guide.pdf"]


def test_deleting_a_request_deletes_its_stored_files(city, django_capture_on_commit_callbacks):
    request = ask(city, files=[pdf()])
    stored = request.attachments.get().file
    storage, name = stored.storage, stored.name
    with django_capture_on_commit_callbacks(execute=True):
        request.delete()
    assert not storage.exists(name)


# --- consent and publication --------------------------------------------------------------------


def publish(request, *, by, publish: bool = True, **fields):
    tags = taxonomy()
    data = {"title": "Financing school retrofits", "summary": "Three routes.",
            "body": "Use an EPC.", "tags": [tags["finance"]], **fields}  # fmt: skip
    return services.publish_answer(request, by=by, publish=publish, **data)


def test_without_the_citys_consent_nothing_is_published(city):
    request = answered(city)
    with pytest.raises(ValidationError, match="has not agreed"):
        publish(request, by=UserFactory(platform_role="staff"))
    assert ExpertRequest.objects.get(pk=request.pk).published_entry is None


def test_consent_records_who_and_when_and_can_be_withdrawn(city):
    request = answered(city)
    coordinator = MembershipFactory(city=city, role=CityRole.COORDINATOR).user
    services.set_consent(request, consent=True, by=coordinator)
    request.refresh_from_db()
    assert request.consent_by == coordinator and request.consent_at is not None
    services.set_consent(request, consent=False, by=coordinator)
    request.refresh_from_db()
    assert request.consent_by is None and request.consent_at is None and not request.has_consent


def test_staff_publish_the_answer_as_an_entry_about_the_city(city):
    request = answered(city)
    services.set_consent(request, consent=True, by=request.requester)
    staff = UserFactory(platform_role=PlatformRole.STAFF)
    entry = publish(request, by=staff, body="## The answer\n\nUse an **EPC**.")
    request.refresh_from_db()
    assert request.published_entry == entry and request.published_by == staff
    assert entry.status == EntryStatus.PUBLISHED and entry.contributor == staff
    assert list(entry.cities.all()) == [city]
    assert entry.body_html == "<h2>The answer</h2>\n<p>Use an <strong>EPC</strong>.</p>"
    assert told(request.requester)[0] == (
        "The answer to “Financing school retrofits” is going into the Knowledge Repository"
    )


def test_the_experts_entry_waits_for_moderation(city):
    request = answered(city)
    services.set_consent(request, consent=True, by=request.requester)
    entry = publish(request, by=request.expert, publish=False)
    assert entry.status == EntryStatus.PENDING and entry.contributor == request.expert


def test_an_answer_is_published_once_and_consent_then_stays(city):
    request = answered(city)
    services.set_consent(request, consent=True, by=request.requester)
    publish(request, by=UserFactory(platform_role="staff"))
    with pytest.raises(ValidationError, match="already"):
        publish(request, by=UserFactory(platform_role="staff"), title="Again")
    with pytest.raises(ValidationError, match="published already"):
        services.set_consent(request, consent=False, by=request.requester)


def test_there_must_be_an_answer_to_publish(city):
    request = routed(city)
    services.set_consent(request, consent=True, by=request.requester)
    with pytest.raises(ValidationError, match="no answer to publish"):
        publish(request, by=UserFactory(platform_role="staff"))


def test_an_entry_the_repository_refuses_leaves_the_request_unpublished(city):
    request = answered(city)
    services.set_consent(request, consent=True, by=request.requester)
    with pytest.raises(ValidationError, match="Choose at least one tag"):
        publish(request, by=UserFactory(platform_role="staff"), tags=[])
    assert ExpertRequest.objects.get(pk=request.pk).published_entry is None
