"""Village mutual funds (贫困村村级发展互助资金): one fund per key village, its members and
their shares, its loans, repayments and write-offs, the public-welfare fund and the balance
sheet."""
