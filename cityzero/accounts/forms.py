from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.accounts.models import CityRole, PlatformRole, User


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.choices, initial=CityRole.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.choices)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"), max_length=100, help_text=_("e.g. “Energy data export”")
    )


class AdvisorFilterForm(forms.Form):
    q = forms.CharField(label=_("City name contains"), required=False, max_length=100)
    without = forms.BooleanField(label=_("Only cities without an advisor"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "q": self.cleaned_data["q"].strip(),
            "without_advisor": self.cleaned_data["without"],
        }


class AssignAdvisorForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=_("Advisor"),
        queryset=User.objects.filter(platform_role=PlatformRole.ADVISOR, is_active=True),
        error_messages={"invalid_choice": _("Choose one of the listed city advisors.")},
    )
