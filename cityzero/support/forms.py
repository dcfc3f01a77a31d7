from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.core.uploads import DOCUMENTS
from cityzero.core.vocabularies import FieldOfAction
from cityzero.knowledge.forms import CheckedFilesField
from cityzero.knowledge.models import MAX_BODY, Tag
from cityzero.support.models import MAX_QUESTION, MAX_TOPIC, RequestStatus
from cityzero.support.selectors import OPEN
from cityzero.support.services import MAX_ATTACHMENTS

MAX_FILE_BYTES = 10 * 2**20
FILE_HELP = gettext_lazy(
    "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or Markdown; at most 10 MB each and "
    "5 files. Only the city's team, the expert and the platform staff can open them."
)
MARKDOWN_HELP = gettext_lazy("Markdown: **bold**, *italic*, lists, links and tables.")
FIELD_CHOICES = [("", gettext_lazy("Several, or none in particular")), *FieldOfAction.choices]


class AttachmentsField(CheckedFilesField):
    def clean(self, data, initial=None):
        uploads = super().clean(data, initial)
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)s files at a time.") % {"n": MAX_ATTACHMENTS}
            )
        return uploads


def attachments_field() -> AttachmentsField:
    return AttachmentsField(
        label=gettext_lazy("Attachments"), kinds=DOCUMENTS, max_bytes=MAX_FILE_BYTES,
        required=False, help_text=FILE_HELP,
    )  # fmt: skip


class RequestForm(forms.Form):
    topic = forms.CharField(
        label=gettext_lazy("Topic"), max_length=MAX_TOPIC,
        help_text=gettext_lazy("In a few words, e.g. “Financing a district heating network”."),
    )  # fmt: skip
    field_of_action = forms.ChoiceField(
        label=gettext_lazy("Field of action"), choices=FIELD_CHOICES, required=False
    )
    question = forms.CharField(
        label=gettext_lazy("Your question"), max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "What you want to know, what you have tried and any deadline. Markdown: **bold**, "
            "*italic*, lists, links and tables. Up to 10,000 characters."
        ),
    )  # fmt: skip
    files = attachments_field()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"), max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP,
    )  # fmt: skip
    files = attachments_field()
    kind = forms.ChoiceField(
        choices=[("message", "message"), ("answer", "answer")], required=False,
        widget=forms.HiddenInput,
    )  # fmt: skip

    @property
    def is_answer(self) -> bool:
        return self.cleaned_data.get("kind") == "answer"


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s (%(role)s), %(n)s open") % {
            "name": obj.display_name, "role": obj.get_platform_role_display(), "n": obj.open_load
        }  # fmt: skip


class RouteForm(forms.Form):
    expert = ExpertChoiceField(
        label=gettext_lazy("Expert"), queryset=None,
        error_messages={"invalid_choice": gettext_lazy(
            "Choose one of the listed experts: reviewers and advisors.")},
    )  # fmt: skip

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = candidates


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=gettext_lazy(
            "We agree that the platform publishes this question and its answer in the Knowledge "
            "Repository, without the names of the people involved."
        ),
        required=False,
    )


class PublishForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=gettext_lazy("Body"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=gettext_lazy(
            "Markdown. Leave out the names of the people involved and anything the city would "
            "not want public."
        ),
    )  # fmt: skip
    tags = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Tags"), queryset=Tag.objects.all(),
        widget=forms.CheckboxSelectMultiple, to_field_name="code",
    )  # fmt: skip


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[(OPEN, gettext_lazy("Open (not closed)")), ("", gettext_lazy("Any")),
                 *RequestStatus.choices],
    )  # fmt: skip
    field_of_action = forms.ChoiceField(
        label=gettext_lazy("Field of action"), required=False,
        choices=[("", gettext_lazy("Any")), *FieldOfAction.choices],
    )  # fmt: skip
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        status = data["status"] if "status" in self.data else OPEN
        return {"status": status, "overdue": data["overdue"],
                "field_of_action": data["field_of_action"]}  # fmt: skip
