from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.cities.models import City
from cityzero.core.uploads import DOCUMENTS, CheckedFileField
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.programmes import tranches
from cityzero.programmes.answers import MAX_FILE_BYTES, python_value
from cityzero.programmes.models import (
    MAX_DESCRIPTION,
    MAX_GRANT_EUR,
    MAX_JUSTIFICATION,
    MAX_TEXT_ANSWER,
    Application,
    Cohort,
    Criterion,
    ProgrammeKind,
    Question,
    QuestionKind,
    ReportKind,
)

FILE_HELP = gettext_lazy(
    "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or Markdown; at most 10 MB."
)
MARKDOWN_HELP = gettext_lazy("Markdown: **bold**, *italic*, lists, links and tables.")
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
SHORT_TEXT = 300  # longer answers get a text area


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s (%(role)s), %(n)s open") % {
            "name": obj.display_name,
            "role": obj.get_platform_role_display(),
            "n": obj.open_load,
        }


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ApplyForm(forms.Form):
    city = CityChoiceField(
        label=gettext_lazy("Apply for"), queryset=City.objects.none(),
        empty_label=gettext_lazy("Choose the city"),
    )  # fmt: skip

    def __init__(self, *args, cities: list[City], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(pk__in=[c.pk for c in cities])


def question_field(question: Question) -> forms.Field:
    """The form field of a question. Nothing is required while the application is a draft:
    required answers are checked when it is submitted."""
    notes = [
        _("Required to submit.") if question.required else _("Optional."),
        question.help_text,
        FILE_HELP if question.kind == QuestionKind.FILE else "",
    ]
    common: dict[str, Any] = {
        "label": question.label,
        "required": False,
        "help_text": " ".join(str(note) for note in notes if note),
    }
    kind = question.kind
    if kind == QuestionKind.TEXT:
        limit = min(question.max_length, MAX_TEXT_ANSWER)
        widget = forms.Textarea(attrs={"rows": 6}) if limit > SHORT_TEXT else forms.TextInput
        return forms.CharField(max_length=limit, widget=widget, **common)
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            max_digits=15,
            decimal_places=2,
            min_value=question.min_value,
            max_value=question.max_value,
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO, coerce=_yes_no, empty_value=None, widget=forms.RadioSelect, **common
        )
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=[("", _("Choose…")), *question.choices], **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return CheckedFileField(kinds=DOCUMENTS, max_bytes=MAX_FILE_BYTES, **common)


def _initial(question: Question, value: Any) -> Any:
    if question.kind == QuestionKind.YES_NO and value is not None:
        return "yes" if value else "no"
    return python_value(question, value)


class ApplicationForm(forms.Form):
    """A draft's answers, one field per question (``q_<code>``), its partners and its version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, application: Application, cities: Any = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.questions = list(application.call.questions.all())
        given = {answer.question_id: answer for answer in application.answers.all()}
        self.initial.setdefault("version", application.version)
        for question in self.questions:
            name = f"q_{question.code}"
            self.fields[name] = question_field(question)
            self.fields[name].question = question
            answer = given.get(question.pk)
            if answer is not None and question.kind == QuestionKind.FILE:
                self.fields[name].kept = answer.file_name  # a new file replaces it
            elif answer is not None:
                self.initial.setdefault(name, _initial(question, answer.value))
        if application.call.allows_partners:
            self.fields["partners"] = forms.ModelMultipleChoiceField(
                label=gettext_lazy("Partner cities"),
                required=False,
                queryset=cities if cities is not None else City.objects.none(),
                help_text=_("At most %(n)s. Hold Ctrl (⌘ on a Mac) to choose several.")
                % {"n": application.call.max_partners},
            )
            self.initial.setdefault("partners", [c.pk for c in application.partners.all()])

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.code}"] for question in self.questions]

    def values(self) -> dict[str, Any]:
        return {q.code: self.cleaned_data.get(f"q_{q.code}") for q in self.questions}

    def partners(self) -> list[City] | None:
        return list(self.cleaned_data["partners"]) if "partners" in self.fields else None

    def add_service_errors(self, error_dict: dict[str, list[str]]) -> None:
        for key, messages in error_dict.items():
            name = f"q_{key}" if f"q_{key}" in self.fields else key
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional)"),
        required=False,
        max_length=MAX_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EligibilityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("eligible", gettext_lazy("Eligible")),
            ("ineligible", gettext_lazy("Not eligible")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=MAX_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The applicants are told your reason."),
    )


class AssessorForm(forms.Form):
    assessor = PersonChoiceField(
        label=gettext_lazy("Assessor"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose one of the listed assessors: active reviewers and advisors."
            )
        },
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = candidates


class ScorecardForm(forms.Form):
    """A score (0 to the criterion's highest) and a justification per criterion."""

    def __init__(self, *args, criteria: Iterable[Criterion], scores: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            given = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score for “%(name)s” (0 to %(max)s)")
                % {"name": criterion.name, "max": criterion.max_score},
                choices=[("", _("Not scored yet"))]
                + [(str(n), str(n)) for n in range(criterion.max_score + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                initial=given.score if given else None,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification for “%(name)s”") % {"name": criterion.name},
                max_length=MAX_JUSTIFICATION,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=given.justification if given else "",
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"justification_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"justification_{c.pk}", ""))
            for c in self.criteria
        }

    def add_service_errors(self, error_dict: dict[str, list[str]]) -> None:
        for key, messages in error_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.city.name


class SelectionForm(forms.Form):
    chosen = ApplicationChoiceField(
        label=gettext_lazy("Selected applications"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, scored, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = scored


class SplitField(forms.CharField):
    """Three percentages for the tranches, e.g. 40/40/20."""

    def clean(self, value):
        text = super().clean(value)
        parts = [part.strip() for part in text.split("/")]
        if len(parts) != len(tranches.TRIGGERS) or not all(p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("Write three whole percentages separated by slashes, e.g. 40/40/20.")
            )
        split = tuple(int(part) for part in parts)
        if sum(split) != 100:
            raise forms.ValidationError(
                _("The percentages add up to %(sum)s, not 100.") % {"sum": sum(split)}
            )
        return split


class ActivityForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=gettext_lazy("Cohort"),
        queryset=Cohort.objects.filter(kind=ProgrammeKind.PILOT).order_by("-created_at"),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )
    lead_city = CityChoiceField(label=gettext_lazy("Lead city"), queryset=City.objects.all())
    partner_cities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner cities"),
        queryset=City.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "For a multi-city activity. Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    fields_of_action = forms.MultipleChoiceField(
        label=gettext_lazy("Thematic area: fields of action"),
        choices=FieldOfAction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    levers = forms.MultipleChoiceField(
        label=gettext_lazy("Systemic levers"),
        choices=SystemicLever.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    grant_eur = forms.IntegerField(
        label=gettext_lazy("Grant (€)"), min_value=1, max_value=MAX_GRANT_EUR
    )
    split = SplitField(
        label=gettext_lazy("Tranches (%)"),
        initial="40/40/20",
        max_length=20,
        help_text=gettext_lazy(
            "Percentages paid at the signature of the grant agreement, on the "
            "interim report and on the final report."
        ),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Report"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label=gettext_lazy("What the activity did, achieved and spent"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )
    file = CheckedFileField(
        label=gettext_lazy("Attachment (optional)"),
        kinds=DOCUMENTS,
        max_bytes=MAX_FILE_BYTES,
        required=False,
        help_text=FILE_HELP,
    )


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", gettext_lazy("Approve (releases the tranche)")),
            ("return", gettext_lazy("Ask for changes")),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the cities"),
        required=False,
        max_length=MAX_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when you ask for changes."),
    )


class TwinningForm(forms.Form):
    twins = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Twin cities"),
        queryset=City.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("One for a pair, two for a trio."),
    )
    cohort = forms.ModelChoiceField(
        label=gettext_lazy("Twinning cohort"),
        required=False,
        queryset=Cohort.objects.filter(kind=ProgrammeKind.TWINNING).order_by("-created_at"),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("12 to 20 months after the start."),
    )

    def __init__(self, *args, candidates: list[City], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["twins"].queryset = City.objects.filter(pk__in=[c.pk for c in candidates])


class DeliverableForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Deliverable"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
