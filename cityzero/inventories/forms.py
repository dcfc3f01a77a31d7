from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import Visibility
from cityzero.core.uploads import DOCUMENTS, CheckedFileField
from cityzero.ghg.projection import Drivers
from cityzero.inventories.interchange import COLUMNS, MAX_BYTES, MAX_LENGTHS
from cityzero.inventories.models import FIRST_YEAR, LAST_YEAR, Exclusion, GwpChoice, LocalFactor
from cityzero.inventories.selectors import MAX_COMPARED


class NewInventoryForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    gwp_set = forms.ChoiceField(
        label=_("GWP values"), choices=GwpChoice.choices, initial=GwpChoice.AR6
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, initial=Visibility.TEAM
    )
    copy_from = forms.TypedChoiceField(
        label=_("Start from"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [("", _("An empty inventory"))] + [
            (year, _("A copy of %(year)s") % {"year": year}) for year in years
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("In the documented layout; it replaces all rows. At most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is 5 MB.")
                % {"size": f"{upload.size / 2**20:.1f}"}
            )
        return upload


class CompareForm(forms.Form):
    cities = forms.MultipleChoiceField(
        label=_("Cities"),
        help_text=_("Choose up to six cities; each one's newest inventory is shown."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cities: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cities"].choices = cities

    def clean_cities(self) -> list[str]:
        chosen = self.cleaned_data["cities"]
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                _("Choose at most %(count)s cities.") % {"count": MAX_COMPARED}
            )
        return chosen


EDITOR_MAX_ROWS = 500


class RowForm(forms.Form):
    """One line item as text; the import checks decide what is valid, for both paths alike."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in COLUMNS:
            self.fields[name] = forms.CharField(
                label=COLUMN_LABELS[name], required=False, max_length=MAX_LENGTHS.get(name, 1000)
            )


COLUMN_LABELS = {
    "gpc_ref": _("GPC reference"),
    "description": _("Description"),
    "carrier": _("Energy carrier"),
    "quantity": _("Quantity"),
    "unit": _("Unit"),
    "emission_factor": _("Emission factor"),
    "ef_unit": _("Factor unit"),
    "gas": _("Gas"),
    "notation_key": _("Notation key"),
    "explanation": _("Explanation"),
    "source": _("Source"),
}

RowFormSet = forms.formset_factory(
    RowForm,
    extra=3,
    can_delete=True,
    max_num=EDITOR_MAX_ROWS,
    validate_max=True,
    absolute_max=EDITOR_MAX_ROWS + 10,
)


def edited_records(formset) -> list[dict[str, str]]:
    """The rows the editor kept: filled in and not ticked for deletion, in their order."""
    return [
        {name: form.cleaned_data.get(name, "") for name in COLUMNS}
        for form in formset.forms
        if form.has_changed()
        and not form.cleaned_data.get("DELETE")
        and any(form.cleaned_data.get(name) for name in COLUMNS)
    ]


def _percent_field(label) -> forms.FloatField:
    return forms.FloatField(
        label=label, required=False, initial=0, min_value=-50, max_value=50,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )  # fmt: skip


class DriversForm(forms.Form):
    """What business as usual assumes, in % per year; empty means no change."""

    population_growth = _percent_field(_("Population growth (% per year)"))
    grid_factor_trend = _percent_field(_("Grid emission factor trend (% per year)"))
    activity_I = _percent_field(_("Stationary energy use per person (% per year)"))
    activity_II = _percent_field(_("Transport activity per person (% per year)"))
    activity_III = _percent_field(_("Waste per person (% per year)"))

    def drivers(self) -> Drivers:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}

        def rate(name: str) -> float:
            return (data.get(name) or 0.0) / 100

        return Drivers(
            population_growth=rate("population_growth"),
            grid_factor_trend=rate("grid_factor_trend"),
            activity_growth={code: rate(f"activity_{code}") for code in ("I", "II", "III")},
        )


class ExclusionForm(forms.ModelForm):
    class Meta:
        model = Exclusion
        fields = ["kind", "gpc_ref", "reason"]


class LocalFactorForm(forms.ModelForm):
    class Meta:
        model = LocalFactor
        fields = ["carrier", "gas", "value", "unit", "year", "source", "version"]
        help_texts = {
            "carrier": _("e.g. district_heat, electricity"),
            "unit": _("e.g. t CO2e/MWh"),
        }


MAX_SOURCE_BYTES = 5 * 1024 * 1024


class SourceDocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What the file is, e.g. “Stadtwerke gas sales 2022”."),
    )
    file = CheckedFileField(
        label=_("File"),
        kinds=DOCUMENTS,
        max_bytes=MAX_SOURCE_BYTES,
        help_text=_(
            "PDF, Word, Excel, OpenDocument, PNG, JPEG, CSV, text or Markdown; at most 5 MB."
        ),
    )
