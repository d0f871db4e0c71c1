"""The importer's vectorised replay agrees with the workflow the services enforce."""

import polars as pl
from django.utils import translation

from fupin.registry.exchange import replay


def frame(rows):
    return pl.DataFrame(
        [(i + 2, hh, str(seq), proc, action, date, "") for i, (hh, seq, proc, action, date) in enumerate(rows)],
        schema=["_line", "household", "seq", "procedure", "action", "date", "note"],
        orient="row",
    ).with_columns(pl.col("_line").cast(pl.UInt32), pl.col("seq").cast(pl.Int64))


ID = "identification"
CHAIN_WITH_OBJECTIONS = [
    ("A", 1, ID, "apply", "2010-03-01"),
    ("A", 2, ID, "appraise", "2010-03-05"),
    ("A", 3, ID, "first_notice", "2010-03-06"),
    ("A", 4, ID, "object", "2010-03-08"),  # back to the village appraisal
    ("A", 5, ID, "appraise", "2010-03-10"),
    ("A", 6, ID, "first_notice", "2010-03-11"),
    ("A", 7, ID, "review", "2010-03-18"),
    ("A", 8, ID, "second_notice", "2010-03-19"),
    ("A", 9, ID, "object", "2010-03-20"),  # back to the township review
    ("A", 10, ID, "review", "2010-03-21"),  # no new wait after an objection
    ("A", 11, ID, "second_notice", "2010-03-22"),
    ("A", 12, ID, "approve", "2010-03-29"),
    ("A", 13, "exit", "apply", "2011-03-01"),
    ("B", 1, ID, "apply", "2010-03-01"),
    ("B", 2, ID, "reject", "2010-03-02"),
]


def test_objections_rejections_and_outcomes():
    events, problems = replay(frame(CHAIN_WITH_OBJECTIONS))
    assert problems.height == 0, problems
    a = events.filter(pl.col("household") == "A")
    assert a["stage_before"].to_list()[3:5] == ["notice_1", "applied"]
    assert a["stage_after"].to_list()[8] == "notice_1"
    assert a["status_after"].to_list()[11] == "poor" and a["status_before"].to_list()[11] == "non_poor"
    last = a.row(-1, named=True)
    assert (last["status_after"], last["stage_after"], last["open_procedure"]) == ("poor", "applied", "exit")
    b = events.filter(pl.col("household") == "B").row(-1, named=True)
    assert (b["status_after"], b["stage_after"], b["open_procedure"]) == ("non_poor", "", "")


def test_illegal_steps_are_found_once_per_household():
    rows = [
        ("A", 1, ID, "apply", "2010-03-01"),
        ("A", 2, ID, "first_notice", "2010-03-02"),  # skips the appraisal
        ("A", 3, ID, "review", "2010-03-03"),
        ("B", 1, "exit", "apply", "2010-03-01"),  # a non-poor household cannot apply to exit
        ("C", 1, ID, "apply", "2010-03-01"),
        ("C", 2, ID, "appraise", "2010-02-01"),  # dated before the previous step
        ("C", 4, ID, "first_notice", "2010-03-03"),  # seq 3 is missing
        ("C", 5, ID, "review", "2010-03-05"),  # the notice stood 2 days
    ]
    with translation.override("en"):
        _, problems = replay(frame(rows))
    found = {(line, column) for line, column, _ in problems.iter_rows()}
    # (4, "date"): A's review also came one day after its notice
    assert found == {(3, "action"), (4, "date"), (5, "action"), (7, "date"), (8, "seq"), (9, "seq"), (9, "date")}
