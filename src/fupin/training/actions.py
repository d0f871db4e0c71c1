"""The audit actions of Rain Plan training with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "training.base.create": _("registered a training base"),
        "training.base.update": _("changed a training base"),
        "training.class.create": _("opened a training class"),
        "training.enrolment.create": _("enrolled in a training class"),
        "training.enrolment.attendance": _("recorded training attendance"),
        "training.enrolment.complete": _("completed a training class"),
        "training.enrolment.drop": _("dropped out of a training class"),
        "training.transfer.record": _("recorded a transfer to employment"),
        "training.target.set": _("set a training target"),
        "training.subsidy.pay": _("paid training subsidies"),
    }
)
