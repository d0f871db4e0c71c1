"""The credit app's ``exchange`` (found by ``autodiscover_modules("exchange")``): its two parts register theirs."""

from fupin.credit.loans import exchange as loans_exchange  # noqa: F401
from fupin.credit.mutual import exchange as mutual_exchange  # noqa: F401
