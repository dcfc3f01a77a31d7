from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.contracts.models import (
    Action,
    ActionFunding,
    ImpactPathway,
    Indicator,
    Iteration,
    Removal,
    Signatory,
)
from cityzero.core.uploads import XLSX, CheckedFileField
from cityzero.inventories.interchange import MAX_BYTES
from cityzero.inventories.models import Inventory

MAX_FUNDINGS = 20


class VersionedForm(forms.ModelForm):
    """A part's form: it carries the version it was loaded at (optimistic locking) and offers
    only the iteration's own impact pathways."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, iteration: Iteration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "pathway" in self.fields:
            self.fields["pathway"].queryset = ImpactPathway.objects.filter(iteration=iteration)


class StartContractForm(forms.Form):
    baseline = forms.ModelChoiceField(
        label=_("Baseline inventory"),
        queryset=Inventory.objects.none(),
        required=False,
        empty_label=_("Choose later"),
        help_text=_("Ideally not older than 2018, and not 2020 or 2021 (COVID years)."),
    )

    def __init__(self, *args, inventories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = inventories
        self.fields["baseline"].label_from_instance = lambda i: str(i.year)


class SettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Iteration
        fields = ["baseline", "target_share", "target_year", "visibility"]

    def __init__(self, *args, inventories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = inventories
        self.fields["baseline"].label_from_instance = lambda i: str(i.year)


class PathwayForm(VersionedForm):
    class Meta:
        model = ImpactPathway
        fields = ["name", "field_of_action", "lever", "early_changes", "late_outcomes",
                  "direct_impacts", "indirect_impacts"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("early_changes", "late_outcomes", "direct_impacts", "indirect_impacts")}  # fmt: skip


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = [
            "name", "action_type", "existing_plan", "description", "field_of_action", "lever",
            "pathway", "responsible", "scale", "stakeholders", "implementation_notes",
            "renewable_mwh", "substituted_mwh", "reduction_buildings", "reduction_transport",
            "reduction_waste", "reduction_ippu", "reduction_afolu", "capex", "opex",
            "start_year", "end_year", "status",
        ]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("description", "stakeholders", "implementation_notes")}  # fmt: skip

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and start > end:
            self.add_error("end_year", _("The action cannot end before it starts."))
        return data


class FundingForm(forms.ModelForm):
    class Meta:
        model = ActionFunding
        fields = ["source", "detail", "amount", "secured"]


FundingFormSet = forms.modelformset_factory(
    ActionFunding,
    form=FundingForm,
    extra=2,
    can_delete=True,
    max_num=MAX_FUNDINGS,
    validate_max=True,
    absolute_max=MAX_FUNDINGS + 5,
)


class IndicatorForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = ["name", "pathway", "unit", "definition", "calculation", "data_source",
                  "interval", "baseline_value", "target_2025", "target_2027", "target_2030"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in
                   ("definition", "calculation")}  # fmt: skip


class SignatoryForm(VersionedForm):
    class Meta:
        model = Signatory
        fields = ["institution", "sector", "level", "legal_form", "responsible_person",
                  "job_title", "commitment"]  # fmt: skip
        widgets = {"commitment": forms.Textarea(attrs={"rows": 4})}


class RemovalForm(VersionedForm):
    class Meta:
        model = Removal
        fields = ["name", "kind", "tco2e", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


COMMENT_HELP = _(
    "Markdown. The city team, its advisors, the platform staff and the reviewers see it."
)


class CommentForm(forms.Form):
    anchor = forms.ChoiceField(label=_("About"), required=False)
    body = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=COMMENT_HELP,
    )

    def __init__(self, *args, anchors: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anchor"].choices = anchors


class ReplyForm(forms.Form):
    thread = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=COMMENT_HELP,
    )  # fmt: skip


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Iteration"), coerce=int)
    b = forms.TypedChoiceField(label=_("compared with iteration"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


PART_FORMS = {
    "pathways": PathwayForm,
    "actions": ActionForm,
    "indicators": IndicatorForm,
    "signatories": SignatoryForm,
    "residual": RemovalForm,
}


class ImportActionsForm(forms.Form):
    file = CheckedFileField(
        label=_("XLSX file"),
        kinds=(XLSX,),
        max_bytes=MAX_BYTES,
        help_text=_("In the layout of the Actions sheet of the XLSX export; at most 5 MB."),
    )
