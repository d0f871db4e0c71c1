"""The village mutual funds in the snapshot (``fupin.analytics.registry``): funds, seed
capital, memberships, loans, repayments and public-welfare spending, each with its dates,
so that an indicator reads any date's balance sheet (``rules.balance``). A record dated
after the snapshot's date is left out; a fund closed after it is still open."""

from __future__ import annotations

import pyarrow as pa

from fupin.analytics import registry
from fupin.credit.mutual.choices import LoanStatus, SeedKind
from fupin.credit.mutual.models import (
    FundLoan,
    FundRepayment,
    FundSeed,
    FundWelfareSpending,
    Membership,
    MutualFund,
)

registry.labels("mutual_seeds.kind", SeedKind)
registry.labels("mutual_loans.status", LoanStatus)

registry.table(
    "mutual_funds",
    {
        "id": pa.int64(),
        "code": pa.string(),
        "village_code": pa.string(),
        "established_on": pa.date32(),
        "closed_on": pa.date32(),
        "welfare_share": pa.float64(),
        "loan_ceiling": registry.decimal_of(MutualFund, "loan_ceiling"),
    },
    "SELECT f.id, f.code, v.code, f.established_on, f.closed_on, CAST(f.welfare_share AS DOUBLE PRECISION), "
    "CAST(f.loan_ceiling AS DOUBLE PRECISION) "
    "FROM credit_mutualfund f JOIN geo_adminarea v ON v.id = f.village_id",
    models=(MutualFund,),
    derive="SELECT id, code, village_code, substr(village_code, 1, 6) || '000000' AS county_code, established_on, "
    "CASE WHEN closed_on <= {as_of} THEN closed_on END AS closed_on, welfare_share, loan_ceiling "
    "FROM src_mutual_funds WHERE established_on <= {as_of}",
    materialize=True,
)

registry.table(
    "mutual_seeds",
    {
        "id": pa.int64(),
        "fund_id": pa.int64(),
        "kind": pa.string(),
        "amount": registry.decimal_of(FundSeed, "amount"),
        "received_on": pa.date32(),
        "entry_id": pa.int64(),
    },
    "SELECT s.id, s.fund_id, s.kind, CAST(s.amount AS DOUBLE PRECISION), s.received_on, s.entry_id "
    "FROM credit_fundseed s",
    models=(FundSeed,),
    derive="SELECT * FROM src_mutual_seeds WHERE received_on <= {as_of}",
)

registry.table(
    "mutual_members",
    {
        "id": pa.int64(),
        "fund_id": pa.int64(),
        "household_id": pa.int64(),
        "joined_on": pa.date32(),
        "shares": pa.int64(),
        "paid_in": registry.decimal_of(Membership, "paid_in"),
        "poor": pa.bool_(),
        "base_paid_by_fund": pa.bool_(),
    },
    "SELECT m.id, m.fund_id, m.household_id, m.joined_on, m.shares, CAST(m.paid_in AS DOUBLE PRECISION), "
    "m.poor, m.base_paid_by_fund FROM credit_membership m",
    models=(Membership,),
    derive="SELECT * FROM src_mutual_members WHERE joined_on <= {as_of}",
)

registry.table(
    "mutual_loans",
    {
        "id": pa.int64(),
        "fund_id": pa.int64(),
        "member_id": pa.int64(),
        "status": pa.string(),
        "amount": registry.decimal_of(FundLoan, "amount"),
        "term_months": pa.int64(),
        "fee_rate": pa.float64(),
        "applied_on": pa.date32(),
        "approved_on": pa.date32(),
        "due_on": pa.date32(),
        "written_off_on": pa.date32(),
        "written_off": registry.decimal_of(FundLoan, "written_off"),
    },
    "SELECT l.id, l.fund_id, l.member_id, l.status, CAST(l.amount AS DOUBLE PRECISION), l.term_months, "
    "CAST(l.fee_rate AS DOUBLE PRECISION), l.applied_on, l.approved_on, l.due_on, l.written_off_on, "
    "CAST(l.written_off AS DOUBLE PRECISION) FROM credit_fundloan l",
    models=(FundLoan,),
    derive="SELECT id, fund_id, member_id, status, amount, term_months, fee_rate, applied_on, "
    "CASE WHEN approved_on <= {as_of} THEN approved_on END AS approved_on, due_on, "
    "CASE WHEN written_off_on <= {as_of} THEN written_off_on END AS written_off_on, "
    "CASE WHEN written_off_on <= {as_of} THEN written_off ELSE 0 END AS written_off "
    "FROM src_mutual_loans WHERE applied_on <= {as_of}",
)

registry.table(
    "mutual_repayments",
    {
        "id": pa.int64(),
        "loan_id": pa.int64(),
        "fund_id": pa.int64(),
        "paid_on": pa.date32(),
        "principal": registry.decimal_of(FundRepayment, "principal"),
        "fee": registry.decimal_of(FundRepayment, "fee"),
    },
    "SELECT r.id, r.loan_id, l.fund_id, r.paid_on, CAST(r.principal AS DOUBLE PRECISION), "
    "CAST(r.fee AS DOUBLE PRECISION) FROM credit_fundrepayment r JOIN credit_fundloan l ON l.id = r.loan_id",
    models=(FundRepayment,),
    derive="SELECT * FROM src_mutual_repayments WHERE paid_on <= {as_of}",
)

registry.table(
    "mutual_welfare_spending",
    {
        "id": pa.int64(),
        "fund_id": pa.int64(),
        "spent_on": pa.date32(),
        "amount": registry.decimal_of(FundWelfareSpending, "amount"),
    },
    "SELECT w.id, w.fund_id, w.spent_on, CAST(w.amount AS DOUBLE PRECISION) FROM credit_fundwelfarespending w",
    models=(FundWelfareSpending,),
    derive="SELECT * FROM src_mutual_welfare_spending WHERE spent_on <= {as_of}",
)
