from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.cities import needs
from cityzero.cities.models import MAX_AREA_NOTE, DossierSection
from cityzero.cities.sections import SectionSpec
from cityzero.cities.services import NeedsInput

MAX_ROWS = 60


class CityFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    mission = forms.ChoiceField(
        label=_("Mission city"),
        required=False,
        choices=[("", _("All cities")), ("yes", _("Mission cities")), ("no", _("Other cities"))],
    )
    label_round = forms.ChoiceField(label=_("Mission Label round"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("country", _("Country")),
            ("population", _("Population (largest first)")),
            ("label", _("Label round (earliest first)")),
        ],
    )

    def __init__(self, *args, countries, rounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.name) for c in countries
        ]
        self.fields["label_round"].choices = [("", _("Any round"))] + [
            (r.code, r.name) for r in rounds
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        mission = {"yes": True, "no": False}.get(data["mission"])
        return {
            "q": data["q"].strip(),
            "country": data["country"],
            "mission": mission,
            "label_round": data["label_round"],
            "sort": data["sort"] or "name",
        }


class LabelFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (c.code, c.name) for c in countries
        ]


class SectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = DossierSection
        fields = ["visibility", "narrative_md", "ambition_md", "total_investment_eur"]
        widgets = {
            "narrative_md": forms.Textarea(attrs={"rows": 8}),
            "ambition_md": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "narrative_md": _("Markdown: **bold**, *italic*, lists, links and tables."),
            "visibility": _("Who may read this section."),
        }

    def __init__(self, *args, spec: SectionSpec, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["narrative_md"].label = spec.narrative_label
        if not spec.has_ambition:
            del self.fields["ambition_md"]
        if not spec.has_total:
            del self.fields["total_investment_eur"]


def row_formset_class(spec: SectionSpec) -> type[forms.BaseFormSet] | None:
    if spec.row_model is None:
        return None
    form_class = forms.modelform_factory(spec.row_model, fields=spec.row_fields)
    return forms.formset_factory(
        form_class,
        formset=RowFormSet,
        extra=2,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS + 10,
    )


class RowFormSet(forms.BaseFormSet):
    def __init__(self, *args, city_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for form in self.forms:
            if "partner_city" in form.fields and city_choices is not None:
                # Set once for every row instead of one query per row.
                form.fields["partner_city"].choices = city_choices

    def rows(self) -> list[dict]:
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.forms:
            return
        # Rows are told apart by their first field in the history, so it must be unique.
        name, field = next(iter(self.forms[0].fields.items()))
        seen = set()
        for row in self.rows():
            if row[name] in seen:
                raise forms.ValidationError(
                    _("Two rows have the same %(label)s “%(value)s”. Merge them into one row.")
                    % {"label": field.label, "value": row[name]}
                )
            seen.add(row[name])


def check_investment_total(section_form: SectionForm, rows: list[dict]) -> None:
    """The amounts by field of action may not add up to more than the stated total."""
    total = section_form.cleaned_data.get("total_investment_eur")
    breakdown = sum((row["amount_eur"] for row in rows), start=0)
    if total is not None and breakdown > total:
        section_form.add_error(
            "total_investment_eur",
            _(
                "The amounts by field of action add up to €%(sum)s, more than the total of €%(total)s."
            )
            % {"sum": f"{breakdown:,.0f}", "total": f"{total:,.0f}"},
        )


class NeedsForm(forms.Form):
    """The support needs questionnaire: a level per statement, support and a note per area."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day you went through the questionnaire with the city."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        levels = [("", _("Not assessed")), *needs.Level.choices]
        for area in needs.AREAS:
            for question in area.questions:
                self.fields[f"q-{question.code}"] = forms.TypedChoiceField(
                    label=question.text, choices=levels, coerce=int, required=False,
                    empty_value=None,
                )  # fmt: skip
            self.fields[f"support-{area.code}"] = forms.ChoiceField(
                label=_("Support needed on %(area)s") % {"area": area.short_name},
                choices=needs.Support.choices, initial=needs.Support.NONE,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"note-{area.code}"] = forms.CharField(
                label=_("Note on %(area)s") % {"area": area.short_name}, required=False,
                max_length=MAX_AREA_NOTE, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("What the city has, what it lacks, what would help. Plain text."),
            )  # fmt: skip

    def area_groups(self) -> list[tuple[needs.Area, list, Any, Any]]:
        """(area, its statements' fields, its support field, its note field) for the template."""
        return [
            (area, [self[f"q-{q.code}"] for q in area.questions], self[f"support-{area.code}"],
             self[f"note-{area.code}"])
            for area in needs.AREAS
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if not any(data.get(f"q-{code}") for code in needs.QUESTION_CODES):
            raise forms.ValidationError(_("Score at least one statement."))
        return data

    def needs_input(self) -> NeedsInput:
        data = self.cleaned_data
        return NeedsInput(
            assessed_on=data["assessed_on"],
            answers={
                q.code: data[f"q-{q.code}"]
                for area in needs.AREAS
                for q in area.questions
                if data.get(f"q-{q.code}") is not None
            },
            areas={
                area.code: (data[f"support-{area.code}"], data[f"note-{area.code}"])
                for area in needs.AREAS
            },
        )


def needs_initial(view: Any | None, *, assessed_on: date) -> dict[str, Any]:
    """The form's starting values: the given assessment's answers (or none), on ``assessed_on``."""
    initial: dict[str, Any] = {"assessed_on": assessed_on}
    if view is None:
        return initial
    initial["version"] = view.assessment.version
    initial.update({f"q-{code}": score for code, score in view.answers.items()})
    for result in view.results:
        initial[f"support-{result.area.code}"] = result.support
        initial[f"note-{result.area.code}"] = result.note
    return initial
