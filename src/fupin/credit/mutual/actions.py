"""The audit actions of the village mutual funds with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "mutual.fund.create": _("established a village mutual fund"),
        "mutual.fund.update": _("changed a village mutual fund's rules"),
        "mutual.fund.close": _("closed a village mutual fund"),
        "mutual.seed.record": _("recorded seed capital of a mutual fund"),
        "mutual.member.join": _("joined a village mutual fund"),
        "mutual.officer.appoint": _("appointed a mutual fund council member or supervisor"),
        "mutual.loan.apply": _("applied for a mutual fund loan"),
        "mutual.loan.approve": _("approved a mutual fund loan"),
        "mutual.loan.reject": _("rejected a mutual fund loan application"),
        "mutual.loan.repay": _("recorded a mutual fund loan repayment"),
        "mutual.loan.write_off": _("wrote off a mutual fund loan"),
        "mutual.welfare.spend": _("spent from a mutual fund's public-welfare fund"),
    }
)
