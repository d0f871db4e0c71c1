"""The credit app's ``panels`` (found by ``autodiscover_modules("panels")``): its two parts register theirs."""

from fupin.credit.loans import panels as loans_panels  # noqa: F401
from fupin.credit.mutual import panels as mutual_panels  # noqa: F401
