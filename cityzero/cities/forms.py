from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import DossierSection
from cityzero.cities.sections import SectionSpec

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
