"""Code lists of the village mutual funds (互助资金; domain-rules.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedKind(models.TextChoices):
    """Where a fund's seed capital comes from (§5: fiscal poverty funds, voluntary
    contributions, unconditional donations). Only ``fiscal`` is the government's: it is a
    disbursement of the funds ledger from a county-level project."""

    FISCAL = "fiscal", _("fiscal poverty funds (财政扶贫资金)")
    DONATION = "donation", _("unconditional donation (无偿捐赠)")
    VILLAGE = "village", _("village collective funds (村集体资金)")
    OTHER = "other", _("other seed capital (其他)")


class OfficerRole(models.TextChoices):
    COUNCIL_CHAIR = "council_chair", _("council chair (理事长)")
    COUNCIL = "council", _("council member (理事)")
    SUPERVISOR_CHAIR = "supervisor_chair", _("chief supervisor (监事长)")
    SUPERVISOR = "supervisor", _("supervisor (监事)")


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("approved and lent")
    REJECTED = "rejected", _("rejected")
    REPAID = "repaid", _("repaid")
    WRITTEN_OFF = "written_off", _("written off")


# a loan is out (its principal is lent) in these statuses
LENT = (LoanStatus.APPROVED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF)
