"""The discounted loans in the snapshot (``fupin.analytics.registry``; docs/adding-an-app.md):
pilots, loans (with the borrower's area and county), repayments and discounts (with the
date their payment left the ledger), as they stood on the date: a loan drawn, a repayment
made or a discount paid after it is left out.

Tables (the columns other parts may read):

- ``discount_pilots``: id int64, area_code string, first_year int32, last_year int32, rate float64
- ``discount_loans``: id int64, code string, kind string, household_id int64, enterprise_id int64,
  project_id int64, area_code string, county_code string, lender string, principal float64,
  rate float64, drawn_on date32, matures_on date32
- ``discount_repayments``: id int64, loan_id int64, paid_on date32, amount float64
- ``discounts``: id int64, loan_id int64, year int32, pilot_id int64, basis float64, days int32,
  rate float64, amount float64, paid_on date32, kind string, household_id int64,
  enterprise_id int64, project_id int64, area_code string, county_code string
"""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.models import Discount, DiscountPayment, DiscountPilot, Loan, LoanRepayment

registry.labels("discount_loans.kind", BorrowerKind)

registry.table(
    "discount_pilots",
    {
        "id": pa.int64(),
        "area_code": pa.string(),
        "first_year": pa.int32(),
        "last_year": pa.int32(),
        "rate": pa.float64(),
    },
    "SELECT p.id, a.code, p.first_year, p.last_year, CAST(p.rate AS DOUBLE PRECISION) "
    "FROM credit_discountpilot p JOIN geo_adminarea a ON a.id = p.area_id",
    models=(DiscountPilot,),
)

registry.table(
    "discount_loans",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "kind": pa.string(),
        "household_id": pa.int64(),
        "enterprise_id": pa.int64(),
        "project_id": pa.int64(),
        "area_code": pa.string(),
        "county_code": pa.string(),
        "lender": pa.string(),
        "principal": registry.decimal_of(Loan, "principal"),
        "rate": pa.float64(),
        "drawn_on": pa.date32(),
        "matures_on": pa.date32(),
    },
    "SELECT l.id, l.code, l.kind, l.household_id, l.enterprise_id, l.project_id, a.code, "
    "SUBSTR(a.code, 1, 6) || '000000', l.lender, CAST(l.principal AS DOUBLE PRECISION), "
    "CAST(l.rate AS DOUBLE PRECISION), l.drawn_on, l.matures_on "
    "FROM credit_loan l JOIN geo_adminarea a ON a.id = l.area_id",
    models=(Loan,),
    derive="SELECT * FROM src_discount_loans WHERE drawn_on <= {as_of}",
    materialize=True,
)

registry.table(
    "discount_repayments",
    {
        "id": pa.int64(),
        "loan_id": pa.int64(),
        "paid_on": pa.date32(),
        "amount": registry.decimal_of(LoanRepayment, "amount"),
    },
    "SELECT r.id, r.loan_id, r.paid_on, CAST(r.amount AS DOUBLE PRECISION) FROM credit_loanrepayment r",
    models=(LoanRepayment,),
    derive="SELECT * FROM src_discount_repayments WHERE paid_on <= {as_of}",
)

registry.table(
    "discounts",
    {
        "id": pa.int64(),
        "loan_id": pa.int64(),
        "year": pa.int32(),
        "pilot_id": pa.int64(),
        "basis": registry.decimal_of(Discount, "basis"),
        "days": pa.int32(),
        "rate": pa.float64(),
        "amount": registry.decimal_of(Discount, "amount"),
        "paid_on": pa.date32(),
    },
    "SELECT d.id, d.loan_id, d.year, d.pilot_id, CAST(d.basis AS DOUBLE PRECISION), d.days, "
    "CAST(d.rate AS DOUBLE PRECISION), CAST(d.amount AS DOUBLE PRECISION), e.date "
    "FROM credit_discount d JOIN credit_discountpayment p ON p.id = d.payment_id "
    "JOIN funds_entry e ON e.id = p.entry_id",
    models=(Discount, DiscountPayment),
    derive="SELECT d.*, l.kind, l.household_id, l.enterprise_id, l.project_id, l.area_code, l.county_code "
    "FROM src_discounts d JOIN discount_loans l ON l.id = d.loan_id WHERE d.paid_on <= {as_of}",
    materialize=True,
)
