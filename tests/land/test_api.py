"""The land API: contracts as a declared resource (scoped, filtered, paginated), created
with their transferors, terminated; the large-scale operation areas; errors in the one
shape, nothing written."""

from __future__ import annotations

import itertools

import pytest

from fupin.core.models import AuditEvent
from fupin.land import services
from fupin.land.models import LandContract
from tests.testing import APIResourceTests, api

_numbers = itertools.count(1)


class TestLandContractAPI(APIResourceTests):
    list_url = "/api/land/contracts/"

    @pytest.fixture(autouse=True)
    def _households(self, make_household, yanshou_village, bayan_village):
        self.by_village = {v: make_household(v, size=1) for v in (yanshou_village, bayan_village)}

    def make(self, village_code, actor):
        return services.contract_create(
            actor=actor,
            number=f"LZ-{next(_numbers)}",
            village_code=village_code,
            transferee_kind="other",
            transferee_name="农机服务队",
            mode="subcontract",
            start_date="2009-03-01",
            term_years=5,
            payment="rent",
            rent_per_mu="150",
            transferors=[(self.by_village[village_code], "60")],
        )

    def key(self, obj):
        return obj.number

    def create_data(self, village_code):
        return {
            "number": f"NEW-{village_code}",
            "village": village_code,
            "transferee_kind": "cooperative",
            "transferee_name": "合作社",
            "mode": "shares",
            "start_date": "2009-05-01",
            "term_years": 8,
            "payment": "dividend",
            "dividend_terms": "保底300元/亩",
            "transferors": [{"household": self.by_village[village_code].code, "area_mu": "45.5"}],
        }

    def model_count(self):
        return LandContract.objects.count()

    # the rows are keyed by number (the base class reads ``code`` or ``id``)
    def test_list_is_paginated_with_count_and_scoped(self, province_user, county_user, yanshou_village, bayan_village):
        ours = self.make(yanshou_village, province_user)
        theirs = self.make(bayan_village, province_user)
        everything = api(province_user).get(self.list_url).json()
        assert {ours.number, theirs.number} <= {r["number"] for r in everything["results"]}
        county = api(county_user).get(self.list_url).json()
        assert [r["number"] for r in county["results"]] == [ours.number]
        assert county["count"] == 1 < everything["count"]
        assert "next" in county and "previous" in county

    def test_filter_by_area_code(self, province_user, yanshou_village, bayan_village):
        ours = self.make(yanshou_village, province_user)
        self.make(bayan_village, province_user)
        rows = api(province_user).get(self.list_url, {"area": yanshou_village[:6]}).json()["results"]
        assert [r["number"] for r in rows] == [ours.number]

    def test_list_rows_are_keyed_by_number(self, province_user, yanshou_village):
        contract = self.make(yanshou_village, province_user)
        rows = api(province_user).get(self.list_url).json()["results"]
        assert rows[0]["number"] == contract.number
        assert rows[0]["area_mu"] == "60.00" and rows[0]["large_scale"] is True
        assert rows[0]["transferors"] == [{"household": self.by_village[yanshou_village].code, "area_mu": "60.00"}]


def test_create_terminate_and_filters(county_user, households, make_contract):
    a, b = households
    client = api(county_user)
    data = {
        "number": "LZ-API-1",
        "village": a.village.code,
        "transferee_kind": "large_household",
        "transferee_household": b.code,
        "mode": "lease",
        "start_date": "2009-03-01",
        "term_years": 10,
        "payment": "rent",
        "rent_per_mu": "300.00",
        "transferors": [{"household": a.code, "area_mu": "30"}],
    }
    r = client.post("/api/land/contracts/", data, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["end_date"] == "2019-02-28" and r.json()["transferee"] == b.code
    assert client.get("/api/land/contracts/", {"household": a.code}).json()["count"] == 1
    assert client.get("/api/land/contracts/", {"household": b.code}).json()["count"] == 0
    assert client.get("/api/land/contracts/", {"in_force": "2009-02-28"}).json()["count"] == 0
    assert client.get("/api/land/contracts/", {"in_force": "2019-02-28"}).json()["count"] == 1
    assert client.get("/api/land/contracts/", {"large_scale": "true"}).json()["count"] == 0
    assert client.get("/api/land/contracts/", {"large_scale": "false"}).json()["count"] == 1
    r = client.post("/api/land/contracts/LZ-API-1/terminate/", {"terminated_on": "2012-12-31"}, format="json")
    assert r.status_code == 200 and r.json()["terminated_on"] == "2012-12-31"
    assert client.get("/api/land/contracts/", {"in_force": "2013-01-01"}).json()["count"] == 0
    assert AuditEvent.objects.filter(actor=county_user, channel="api", action="land.contract.terminate").exists()
    r = client.post("/api/land/contracts/NOPE/terminate/", {"terminated_on": "2012-12-31"}, format="json")
    assert r.status_code == 404


def test_refusals_in_the_one_shape(county_user, households, stranger):
    a = households[0]
    client = api(county_user)
    base = {
        "number": "LZ-X",
        "village": a.village.code,
        "transferee_kind": "cooperative",
        "transferee_name": "合作社",
        "mode": "lease",
        "start_date": "2009-03-01",
        "term_years": 10,
        "payment": "rent",
        "rent_per_mu": "300",
    }
    for transferors, term, field in (
        ([{"household": a.code, "area_mu": "0"}], 10, "area_mu"),
        ([{"household": a.code, "area_mu": "-4"}], 10, "area_mu"),
        ([{"household": a.code, "area_mu": "5"}], 25, "term_years"),
        ([{"household": stranger.code, "area_mu": "5"}], 10, "household"),
    ):
        r = client.post("/api/land/contracts/", base | {"transferors": transferors, "term_years": term}, format="json")
        assert r.status_code in (400, 403)
        assert (r.json()["code"], r.json()["field"], r.json()["record"]) == ("invalid", field, "LZ-X")
    r = client.post("/api/land/contracts/", base | {"transferors": "x"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "transferors"
    assert LandContract.objects.count() == 0


def test_large_scale_areas(province_user, make_contract):
    contract = make_contract()
    r = api(province_user).get("/api/land/large-scale/", {"date": "2009-12-31"})
    assert r.status_code == 200
    assert r.json() == [
        {
            "village": contract.village.code,
            "village_name": contract.village.name,
            "contracts": 1,
            "area_mu": "72.50",
            "households": 2,
        }
    ]
    assert api(province_user).get("/api/land/large-scale/", {"date": "x"}).json()["field"] == "date"
