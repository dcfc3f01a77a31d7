from django.contrib.auth.backends import BaseBackend

from cityzero.accounts.permissions import roles_of


class PlatformStaffBackend(BaseBackend):
    """Platform staff may use every part of the admin; the role, not per-model grants, decides."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return roles_of(user_obj).is_staff

    def has_module_perms(self, user_obj, app_label) -> bool:
        return roles_of(user_obj).is_staff
