from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.transition.models import MAX_NOTE, MAX_URL, StepStatus
from cityzero.transition.services import BAD_EVIDENCE_URL, validate_evidence_url


class EvidenceURLField(forms.URLField):
    default_validators = [validate_evidence_url]  # web addresses only: no ftp:, no javascript:
    default_error_messages = {"invalid": BAD_EVIDENCE_URL}


class NoteField(forms.CharField):
    def to_python(self, value):
        # Browsers send line breaks as CR LF; count and store them as one character each.
        return super().to_python(value.replace("\r\n", "\n") if isinstance(value, str) else value)


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(
        label=_("Status"), choices=StepStatus.choices, widget=forms.RadioSelect
    )
    note = NoteField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, what is next, who leads it. Up to 2,000 characters."),
    )
    evidence_url = EvidenceURLField(
        label=_("Evidence link"),
        required=False,
        max_length=MAX_URL,
        assume_scheme="https",
        help_text=_("A web page or document that shows it, e.g. the council decision."),
    )
