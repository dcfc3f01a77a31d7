import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import LabelRound
from cityzero.contracts.modules import MODULES
from cityzero.core.workflow import Step
from cityzero.reviews import services
from cityzero.reviews.models import Assignment, Expertise, Stage
from cityzero.reviews.rubric import CRITERIA, Recommendation, Score


class StepForm(forms.Form):
    """One step of the workflow: its message and, for the endorsement, the label round."""

    message = forms.CharField(
        label=_("Message"), required=False, max_length=services.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, step: Step, **kwargs) -> None:
        super().__init__(*args, prefix=step.code, **kwargs)
        self.step = step
        self.fields["message"].required = step.message_required
        self.fields["message"].help_text = step.message_help
        if step.code == "endorse":
            self.fields["label_round"] = forms.ModelChoiceField(
                label=_("Label round"), required=False,
                queryset=LabelRound.objects.order_by("-awarded_on"),
                help_text=_("Or name a new round below."),
            )  # fmt: skip
            self.fields["round_name"] = forms.CharField(
                label=_("New round: name"), required=False, max_length=120
            )
            self.fields["round_date"] = forms.DateField(
                label=_("New round: date of the award"), required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip
            self.fields["round_event"] = forms.CharField(
                label=_("New round: event"), required=False, max_length=200
            )

    def clean(self):
        data = super().clean()
        if self.step.code != "endorse":
            return data
        new = data.get("round_name") or data.get("round_date")
        if data.get("label_round") and new:
            raise forms.ValidationError(_("Choose a round or name a new one, not both."))
        if new and not (data.get("round_name") and data.get("round_date")):
            raise forms.ValidationError(_("A new round needs a name and a date."))
        if not data.get("label_round") and not new:
            raise forms.ValidationError(_("Choose the round in which the label is awarded."))
        return data


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    expertise = forms.ChoiceField(label=_("As"), choices=Expertise.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    module = forms.ChoiceField(label=_("Part"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, reviewers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.get_platform_role_display()})"
        )
        self.fields["module"].choices = [("", _("The whole submission"))] + [
            (m.code, f"{m.number} {m.title}") for m in MODULES
        ]
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(
            days=services.REVIEW_DAYS
        )


class ScorecardForm(forms.Form):
    """The rubric: a score and its justification per criterion, a recommendation, a summary."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), required=False,
        choices=[("", _("Not decided yet")), *Recommendation.choices],
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary for the city"), required=False, max_length=services.MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip

    def __init__(self, *args, assignment: Assignment, **kwargs) -> None:
        scores = {s.criterion: s for s in assignment.scores.all()}
        initial = {"recommendation": assignment.recommendation, "summary": assignment.summary}
        for criterion in CRITERIA:
            found = scores.get(criterion.code)
            initial[f"{criterion.code}_score"] = found.score if found else ""
            initial[f"{criterion.code}_why"] = found.justification if found else ""
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in CRITERIA:
            self.fields[f"{criterion.code}_score"] = forms.TypedChoiceField(
                label=_("Score"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Not scored")), *Score.choices],
            )  # fmt: skip
            self.fields[f"{criterion.code}_why"] = forms.CharField(
                label=_("Justification"), required=False, max_length=services.MAX_MESSAGE,
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip

    def criteria(self):
        """(criterion, score field, justification field) for the template, in rubric order."""
        return [(c, self[f"{c.code}_score"], self[f"{c.code}_why"]) for c in CRITERIA]

    def scores(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {c.code: (data[f"{c.code}_score"], data[f"{c.code}_why"]) for c in CRITERIA}
