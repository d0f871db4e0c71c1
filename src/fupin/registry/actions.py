"""The registry's audit actions, with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions
from fupin.registry.choices import Action

# a workflow step is recorded as "household.<step>" (older events: the step alone)
register_actions({step.value: step.label for step in Action})
register_actions({f"household.{step.value}": step.label for step in Action})
register_actions(
    {
        "household.register": _("registered the household"),
        "household.update": _("edited the household"),
        "household.delete": _("deleted the household"),
        "member.add": _("added a member"),
        "member.update": _("edited a member"),
        "member.remove": _("removed a member"),
        "member.move": _("moved a member"),
        "income.save": _("entered income"),
        "poverty_line.set": _("set a poverty line"),
    }
)
