"""The annual report's sections: the seed's, in its order, with their titles and the reason
shown for an indicator of the section that no installed app computes yet.

A section is the report's, not an app's: an app registers computations for indicator ids
(``fupin.analytics.registry.computes``) and the indicator's row of ``data/indicators.csv``
says which section it is shown in. A section whose app is not built yet still shows its
indicators, each "not available" with the section's reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.analytics.registry import SECTIONS as REGISTERED
from fupin.analytics.registry import Section

SEED_SECTIONS: tuple[Section, ...] = (
    Section("overview", _("Overview")),
    Section(
        "village_advancement",
        _("Entire Village Advancement"),
        _("Entire village advancement batches, village plans, projects, outputs and funds are not recorded yet."),
    ),
    Section("training", _("Poverty alleviation training"), _("Training classes and trainees are not recorded yet.")),
    Section(
        "industrialization",
        _("Poverty alleviation by industrialization"),
        _("Leading enterprises, their production bases and loans are not recorded yet."),
    ),
    Section("mutual_funds", _("Pilot program of mutual funds"), _("Village mutual funds are not recorded yet.")),
    Section(
        "loan_discount",
        _("Pilot program of poverty alleviation loan discount management system reform"),
        _("Discounted loans are not recorded yet."),
    ),
    Section(
        "contiguous",
        _("Pilot contiguous development projects"),
        _("Contiguous development zones, their projects and funds are not recorded yet."),
    ),
    Section(
        "land_transfer",
        _("Large-scale operation through land transfer in impoverished villages"),
        _("Land transfer contracts are not recorded yet."),
    ),
    Section("social", _("Social poverty alleviation"), _("Social and pairing assistance is not recorded yet.")),
    Section(
        "measures",
        _("Poverty alleviation measures"),
        _("Responsibility assignments, target assessments and typical models are not recorded yet."),
    ),
)

# Indicators shown in one section whose records are another's: the overview's figures of
# entire village advancement (id prefix -> the section whose reason applies).
RECORDS_OF_PREFIX: dict[str, str] = {"evap.": "village_advancement"}


def sections() -> dict[str, Section]:
    """Every section in the report's order: the seed's, then those apps added."""
    result = {s.key: s for s in SEED_SECTIONS}
    added = sorted(
        ((order, i, s) for i, (key, (order, s)) in enumerate(REGISTERED.items()) if key not in result),
        key=lambda t: (t[0] is None, t[0] or 0, t[1]),
    )
    result.update({s.key: s for _order, _i, s in added})
    return result


def reason_for(indicator_id: str, section: str) -> object:
    """Why an indicator nobody computes is not available: its records' section's reason."""
    for prefix, records in RECORDS_OF_PREFIX.items():
        if indicator_id.startswith(prefix):
            section = records
            break
    found = sections().get(section)
    return found.reason if found is not None else ""
