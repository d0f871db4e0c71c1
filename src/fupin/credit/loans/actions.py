"""The discounted loans' audit actions, with their labels in both languages."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "credit.pilot.create": _("put an area in the loan discount pilot"),
        "credit.loan.create": _("recorded a discounted loan"),
        "credit.loan.repay": _("recorded a loan repayment"),
        "credit.discount.pay": _("paid loan discounts"),
    }
)
