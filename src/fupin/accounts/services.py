from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from fupin.accounts.models import User
from fupin.core.audit import audit_log
from fupin.core.choices import Role
from fupin.core.errors import Conflict, InvalidInput
from fupin.geo.models import AdminArea


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    area_codes: Sequence[str],
    full_name: str = "",
    organisation: str = "",
    can_view_identifiers: bool = False,
) -> User:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), record=username, field="role")
    if User.objects.filter(username=username).exists():
        raise Conflict(_("A user with this name exists."), record=username, field="username")
    areas = list(AdminArea.objects.filter(code__in=area_codes))
    missing = sorted(set(area_codes) - {a.code for a in areas})
    if missing:
        raise InvalidInput(
            _("Unknown area code: %(codes)s") % {"codes": ", ".join(missing)}, record=username, field="areas"
        )
    user = User(username=username, role=role, first_name=full_name, organisation=organisation)
    check_password(user=user, password=password)
    user.set_password(password)
    user.save()
    user.areas.set(areas)
    if can_view_identifiers:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(Permission.objects.get(codename="view_identifiers"))
    audit_log(
        actor=actor,
        action="user.create",
        obj=user,
        after={"role": role, "areas": list(area_codes), "view_identifiers": can_view_identifiers},
    )
    return user


def check_password(*, user: User, password: str) -> None:
    """The configured password validators (AUTH_PASSWORD_VALIDATORS), for every place a
    password is set: the service, the command line and the forms all end here."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), record=user.username, field="password") from exc


@transaction.atomic
def user_password_set(*, user: User, password: str, actor: Any) -> User:
    check_password(user=user, password=password)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log(actor=actor, action="user.password", obj=user)
    return user


@transaction.atomic
def token_rotate(*, user: User, actor: Any) -> str:
    """A new API token for ``user`` (the old one, if any, stops working). The key is
    returned once: only its holder keeps it."""
    had = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit_log(actor=actor, action="token.rotate" if had else "token.create", obj=user)
    return str(token.key)


@transaction.atomic
def token_revoke(*, user: User, actor: Any) -> bool:
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        audit_log(actor=actor, action="token.revoke", obj=user)
    return deleted


@transaction.atomic
def user_unlock(*, username: str, actor: Any) -> int:
    """Lift a login lockout early: forget the failed attempts of ``username``."""
    from axes.utils import reset

    count = int(reset(username=username))
    audit_log(
        actor=actor,
        action="login.unlock",
        object_type="accounts.user",
        object_repr=username[:200],
        after={"username": username, "attempts": count},
    )
    return count
