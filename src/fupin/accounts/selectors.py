from __future__ import annotations

from fupin.accounts.models import User
from fupin.core.errors import NotFound


def user_by_username(username: str) -> User:
    """The user a command acts as (``--as USER``)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user named {username!r}", field="as")
    return user
