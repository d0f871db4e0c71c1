"""The credit app's ``api`` (found by ``autodiscover_modules("api")``): its two parts register theirs."""

from fupin.credit.loans import api as loans_api  # noqa: F401
from fupin.credit.mutual import api as mutual_api  # noqa: F401
