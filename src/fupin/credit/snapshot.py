"""The credit app's ``snapshot`` (found by ``autodiscover_modules("snapshot")``): its two parts register theirs."""

from fupin.credit.loans import snapshot as loans_snapshot  # noqa: F401
from fupin.credit.mutual import snapshot as mutual_snapshot  # noqa: F401
