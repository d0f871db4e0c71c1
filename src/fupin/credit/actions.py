"""The credit app's ``actions`` (found by ``autodiscover_modules("actions")``): its two parts register theirs."""

from fupin.credit.loans import actions as loans_actions  # noqa: F401
from fupin.credit.mutual import actions as mutual_actions  # noqa: F401
