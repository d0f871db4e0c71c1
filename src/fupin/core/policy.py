"""Who may do what: roles, capabilities and scope, checked by services before they write.

Reads are scoped by ``ScopedQuerySet.visible_to``; writes call ``check_scope`` on the area
of the record (before and, for moves, after the change) and ``check_role``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.core.errors import NotPermitted, OutOfScope
from fupin.core.scoping import user_can_see_code

# Rank of the office roles: a role may do what the roles below it may do.
ROLE_RANK: dict[str, int] = {
    Role.VILLAGE: 1,
    Role.TOWNSHIP: 2,
    Role.COUNTY: 3,
    Role.CITY: 4,
    Role.PROVINCE: 5,
}


def role_rank(user: Any) -> int:
    if getattr(user, "is_superuser", False):
        return max(ROLE_RANK.values())
    return ROLE_RANK.get(getattr(user, "role", ""), 0)


def check_role(user: Any, minimum: str, *, record: str | None = None) -> None:
    """Refuse unless the user holds ``minimum`` or a higher office role."""
    if role_rank(user) < ROLE_RANK[minimum]:
        raise NotPermitted(
            _("This action needs the role “%(role)s” or higher.") % {"role": Role(minimum).label},
            record=record,
        )


def check_scope(user: Any, area_code: str, *, record: str | None = None, field: str | None = None) -> None:
    if not user_can_see_code(user, area_code):
        raise OutOfScope(record=record, field=field)


def can_view_identifiers(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("registry.view_identifiers"))
