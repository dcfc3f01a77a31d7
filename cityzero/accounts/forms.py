from django import forms
from django.utils.translation import gettext_lazy as _

from cityzero.accounts.models import CityRole


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.choices, initial=CityRole.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CityRole.choices)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"), max_length=100, help_text=_("e.g. “Energy data export”")
    )
