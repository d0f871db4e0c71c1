"""The funds' audit actions, with their labels (``fupin.core.audit``): a ledger entry is
recorded as "fund.<kind>", its reversal as "fund.<kind>.reverse"."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "fund.appropriation": _("appropriated funds"),
        "fund.allocation": _("allocated funds"),
        "fund.disbursement": _("disbursed funds"),
        "fund.appropriation.reverse": _("reversed an appropriation"),
        "fund.allocation.reverse": _("reversed an allocation"),
        "fund.disbursement.reverse": _("reversed a disbursement"),
    }
)
