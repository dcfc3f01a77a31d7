from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cityzero.accounts.models import ROLES_REQUIRING_TWO_FACTOR

ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/-/")


class RequireTwoFactorMiddleware:
    """Staff, reviewers and commission officers must set up two-factor login before anything else."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.MFA_REQUIRED
            and user.is_authenticated
            and user.platform_role in ROLES_REQUIRING_TWO_FACTOR
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Your role requires two-factor authentication. Set up an authenticator app to go on."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
