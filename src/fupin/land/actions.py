"""The audit actions of land transfer with their labels (``fupin.core.audit``)."""

from django.utils.translation import gettext_lazy as _

from fupin.core.audit import register_actions

register_actions(
    {
        "land.contract.create": _("recorded a land transfer contract"),
        "land.transferor.add": _("transferred land in a contract"),
        "land.contract.terminate": _("terminated a land transfer contract"),
    }
)
