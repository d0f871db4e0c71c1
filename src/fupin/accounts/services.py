from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

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
