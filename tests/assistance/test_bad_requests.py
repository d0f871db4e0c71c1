"""Bad requests to the assistance API get a 4xx in the one error shape, never a 500."""

from __future__ import annotations

import pytest

from tests.testing import api

HUGE = 10**30


@pytest.mark.parametrize(
    "url",
    [
        "/api/assistance/pairings/abc/",
        "/api/assistance/students/99999999999999999999999/",
        "/api/assistance/units/NOPE/",
        "/api/assistance/contributions/NOPE/",
        "/api/assistance/pairings/?year=99999",
        "/api/assistance/contributions/?year=-1",
        "/api/assistance/units/?level=nope",
        "/api/assistance/students/?area=23x",
    ],
)
def test_bad_reads_are_4xx(province_user, url):
    response = api(province_user).get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert {"code", "message"} <= set(response.json())


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/api/assistance/contributions/",
            {"unit": "X", "number": "1", "kind": "grant", "value": str(HUGE), "date": "2009-01-01"},
        ),
        (
            "/api/assistance/contributions/",
            {"unit": "X", "number": "1", "kind": "grant", "value": "1", "date": "20090101"},
        ),
        ("/api/assistance/students/", {"unit": "X", "id_number": "1" * 40, "year": 0, "school": "", "amount": "NaN"}),
        (
            "/api/assistance/cadres/",
            {"unit": "X", "name": "x", "kind": "boss", "place": "1", "start_date": "2009-01-01"},
        ),
        ("/api/assistance/units/", {"code": "U", "name": "n", "level": "county", "area": "999999999999"}),
        ("/api/assistance/projects/", {"unit": "X", "project": "NOPE", "year": 2009}),
        ("/api/assistance/classes/", {"unit": "X", "klass": "NOPE"}),
        ("/api/assistance/pairings/", ["not", "an", "object"]),
    ],
)
def test_bad_writes_are_4xx(province_user, url, body):
    response = api(province_user).post(url, body, format="json")
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content)
    assert {"code", "message"} <= set(response.json())
