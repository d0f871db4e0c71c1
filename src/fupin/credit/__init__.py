"""Credit for the poor: village mutual funds (村级发展互助资金) and poverty-relief
interest-discount loans (扶贫贴息贷款)."""
