"""The questionnaire's steps as the templates draw them, and the form that saves a result."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import City
from cityzero.finance.models import MAX_NOTE
from cityzero.finance.questionnaire import (
    AMOUNT,
    FIELDS,
    GROUPS,
    QUESTIONS,
    Option,
    Question,
    asked,
)
from cityzero.finance.services import MAX_TITLE


@dataclass(frozen=True)
class QuestionView:
    """A question on a step: the options offered, what is ticked, the text typed, the errors."""

    question: Question
    options: tuple[Option, ...]
    selected: frozenset[str] = frozenset()
    text: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def input_type(self) -> str:
        return "radio" if self.question.kind == "single" else "checkbox"


def _view(question: Question, options, params: QueryDict, errors) -> QuestionView:
    values = [value.strip() for value in params.getlist(question.code)]
    return QuestionView(
        question,
        options,
        selected=frozenset(values),
        text=values[0][:40] if question.kind == AMOUNT and values else "",
        errors=errors.get(question.code, []),
    )


def step_1(params: QueryDict, errors: dict[str, list[str]]) -> QuestionView:
    return _view(FIELDS, FIELDS.options, params, errors)


def step_2(
    fields: frozenset[str], params: QueryDict, errors: dict[str, list[str]]
) -> list[tuple[Any, list[QuestionView]]]:
    """The questions asked for these fields, by group: (group label, questions)."""
    questions = asked(fields)
    grouped = []
    for code, label in GROUPS:
        views = [
            _view(question, question.options_for(fields), params, errors)
            for question in questions
            if question.group == code
        ]
        if views:
            grouped.append((label, views))
    return grouped


def answer_params(data: QueryDict) -> dict[str, list[str]]:
    """The questionnaire's values among posted or queried data (anything else left out)."""
    return {question.code: data.getlist(question.code) for question in QUESTIONS}


class SaveResultForm(forms.Form):
    """Where to save a result and under what name. The city is checked against the person's
    rights by the view: any city may be named, only one's own is accepted."""

    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.all(), empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your cities.")},
    )  # fmt: skip
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE,
        help_text=_("For example the project's name: “Deep retrofit of 12 schools”."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), max_length=MAX_NOTE, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the team should know about this result."),
    )  # fmt: skip
    public = forms.BooleanField(
        label=_("Public: show it on the city's public dossier"), required=False,
        help_text=_("Otherwise only the city team, its advisors and the platform staff see it."),
    )  # fmt: skip

    def __init__(self, *args, cities: list[City], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Offer the person's own cities; validation still finds any city, so that the view can
        # refuse someone else's with 403 rather than call it a typing error.
        self.fields["city"].widget.choices = [(city.pk, city.name) for city in cities]


class VisibilityForm(forms.Form):
    public = forms.BooleanField(required=False)
