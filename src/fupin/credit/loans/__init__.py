"""Poverty-relief interest-discount loans (扶贫贴息贷款): loans to households, leading
enterprises and projects, and the interest discounts paid on them through the funds ledger."""
