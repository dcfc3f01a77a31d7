"""Personal API tokens: created once, shown once, stored as a SHA-256 hash, revocable."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from cityzero.accounts.models import ApiToken, User

TOKEN_PREFIX = "cz_"  # noqa: S105  (a marker that makes leaked tokens recognisable)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, *, name: str) -> str:
    """Make a token and return its secret, which is never shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=secret[:8], key_hash=_hash(secret))
    return secret


def revoke_token(token: ApiToken, *, by: User) -> None:
    ApiToken.objects.filter(pk=token.pk, user=by, revoked_at=None).update(revoked_at=timezone.now())


def user_for_token(secret: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cz_…` for machine clients."""

    def authenticate(self, request, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
