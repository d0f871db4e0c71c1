"""Bad requests get a 4xx in the API's error shape, never a 500: the cases a schemathesis
run over the whole schema found (scripts/ci/fuzz-api runs it in CI), one test each, and the
schema documents the errors and the nullable references."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DataError, IntegrityError
from drf_spectacular.generators import SchemaGenerator

from fupin.core.api import exception_handler
from fupin.core.parsers import MAX_JSON_DEPTH
from fupin.programs.models import Batch, LabourInput
from fupin.registry.models import IncomeRecord, Person
from tests import programs_data as data
from tests.conftest import walk
from tests.testing import api

HUGE = 10**30


def assert_error(response, status: int, field: str | None = None) -> dict:
    """A ``status`` answer in the one error shape: ``code`` and ``message`` (and the field)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if field is not None:
        assert body["field"] == field, body
    return body


# --- query parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", str(HUGE), "-5", "99999"])
def test_status_events_year_out_of_range_is_a_400(province_user, year):
    assert_error(api(province_user).get("/api/status-events/", {"year": year}), 400, "year")


def test_status_events_year_in_range_still_filters(province_user, make_household, yanshou_village):
    walk(make_household(yanshou_village), province_user, "identification", dt.date(2010, 3, 1), until="appraise")
    client = api(province_user)
    assert client.get("/api/status-events/", {"year": 2010}).json()["count"] == 2
    assert client.get("/api/status-events/", {"year": 2011}).json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/incomes/",
        "/api/projects/",
        "/api/labour-inputs/",
        "/api/fund-entries/",
        "/api/fund-accounts/",
        "/api/village-plans/",
        "/api/batches/",
    ],
)
def test_year_filters_are_bounded(province_user, url):
    assert_error(api(province_user).get(url, {"year": str(HUGE)}), 400, "year")


@pytest.mark.parametrize("url", ["/api/projects/", "/api/fund-entries/", "/api/outputs/", "/api/labour-inputs/"])
def test_batch_number_filters_are_bounded(province_user, url):
    assert_error(api(province_user).get(url, {"batch": str(HUGE)}), 400, "batch")


def test_poverty_line_year_filter_too_large_finds_nothing(province_user):
    # the model's own filter: Django answers an integer lookup past the column's range with no rows
    response = api(province_user).get("/api/poverty-lines/", {"year": str(HUGE)})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("url", ["/api/funds/balances/", "/api/funds/flow/"])
def test_fund_reads_refuse_a_year_out_of_range(province_user, url):
    response = api(province_user).get(url, {"area": "230000000000", "year": str(HUGE)})
    assert_error(response, 400, "year")


def test_page_zero_is_a_404_in_the_error_shape(province_user):
    body = assert_error(api(province_user).get("/api/households/", {"page": 0}), 404)
    assert body["code"] == "not_found"


# --- path parameters ------------------------------------------------------------------------------


def test_reverse_of_a_non_integer_entry_is_a_404(province_user):
    response = api(province_user).post("/api/fund-entries/false/reverse/", {"reason": "x"}, format="json")
    assert assert_error(response, 404)["code"] == "not_found"


def test_move_of_a_non_integer_person_is_a_404(province_user):
    response = api(province_user).post(
        "/api/persons/null/move/", {"household": "x", "relation": "CHILD"}, format="json"
    )
    assert_error(response, 404)


@pytest.mark.parametrize("pk", ["abc", "null,null", "1.5", "-1", "9" * 30])
def test_patch_of_a_non_integer_person_is_a_404(province_user, pk):
    assert_error(api(province_user).patch(f"/api/persons/{pk}/", {"name": "x"}, format="json"), 404)


@pytest.mark.parametrize(
    "url", ["/api/status-events/abc/", "/api/incomes/1e3/", "/api/batches/x/", f"/api/batches/{HUGE}/"]
)
def test_detail_of_a_non_integer_id_is_a_404(province_user, url):
    assert_error(api(province_user).get(url), 404)


def test_a_real_id_still_resolves(province_user, make_household, yanshou_village):
    person = make_household(yanshou_village, size=1).members.get()
    response = api(province_user).patch(f"/api/persons/{person.pk}/", {"name": "钱七"}, format="json")
    assert response.status_code == 200, response.json()
    assert Person.objects.get(pk=person.pk).name == "钱七"


def test_an_unknown_api_path_is_a_404_in_the_error_shape(province_user):
    assert_error(api(province_user).get("/api/no-such-thing/"), 404)


def test_an_unknown_web_path_is_still_the_web_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- bodies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["persons", "person_days"])
@pytest.mark.parametrize("value", [HUGE, 2**31])
def test_labour_input_huge_integers_are_a_400(province_user, yanshou_village, field, value):
    project = data.project(province_user, yanshou_village)
    body = {"project": project.code, "year": 2009, "persons": 10, "person_days": 100, field: value}
    response = api(province_user).post("/api/labour-inputs/", body, format="json")
    assert_error(response, 400, field)
    assert not LabourInput.objects.exists()


@pytest.mark.parametrize("value", [HUGE, 2**15])
def test_batch_huge_number_is_a_400(province_user, value):
    body = {"number": value, "name": "第九批", "start_year": 2010, "end_year": 2011}
    assert_error(api(province_user).post("/api/batches/", body, format="json"), 400, "number")
    assert not Batch.objects.filter(name="第九批").exists()


def test_plan_of_a_huge_batch_number_is_a_400(province_user, yanshou_village):
    body = {"batch": HUGE, "village": yanshou_village}
    assert_error(api(province_user).post("/api/village-plans/", body, format="json"), 400, "batch")


def test_income_household_size_huge_is_a_400(province_user, make_household, yanshou_village):
    household = make_household(yanshou_village)
    body = {"household": household.code, "year": 2010, "household_size": HUGE, "wage": "100"}
    assert_error(api(province_user).post("/api/incomes/", body, format="json"), 400, "household_size")
    assert not IncomeRecord.objects.filter(household=household, year=2010).exists()


def test_deeply_nested_json_is_a_400(province_user):
    depth = 100_000
    body = "[" * depth + "]" * depth
    response = api(province_user).post("/api/households/", body, content_type="application/json")
    assert_error(response, 400)


def test_json_nested_past_the_limit_is_a_400(province_user):
    nested: object = "x"
    for _ in range(MAX_JSON_DEPTH + 1):
        nested = {"a": nested}
    response = api(province_user).post("/api/households/", {"village": "x", "members": nested}, format="json")
    assert assert_error(response, 400)["code"] == "parse_error"


def test_json_within_the_limit_reaches_the_serializer(province_user):
    response = api(province_user).post("/api/households/", {"village": "x", "members": [[[1]]]}, format="json")
    assert_error(response, 400, "members")


def test_malformed_json_is_a_400_in_the_error_shape(province_user):
    response = api(province_user).post("/api/households/", "{not json", content_type="application/json")
    assert assert_error(response, 400)["code"] == "parse_error"


# --- the one exception handler ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (OverflowError("Python int too large to convert to SQLite INTEGER"), 400),
        (DataError("integer out of range"), 400),
        (IntegrityError("UNIQUE constraint failed"), 409),
        (RecursionError("maximum recursion depth exceeded"), 400),
    ],
)
def test_handler_maps_database_and_overflow_errors_to_4xx(exc, status):
    response = exception_handler(exc, {})
    assert response is not None and response.status_code == status
    assert set(response.data) == {"code", "message"}


def test_unauthenticated_is_a_401_or_403_in_the_error_shape(db):
    response = api().get("/api/households/")
    assert response.status_code in (401, 403)
    assert assert_error(response, response.status_code)["code"] == "not_authenticated"


# --- the schema -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_its_error_responses(schema):
    operations = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            operations += 1
            for status in ("400", "401", "403", "404", "409"):
                response = operation["responses"].get(status)
                assert response, f"{method.upper()} {path}: no {status}"
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, status)
            assert "content" not in operation["responses"]["414"], (method, path)
    assert operations >= 70
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message"}


@pytest.mark.parametrize(
    ("component", "field"),
    [("AdminArea", "parent"), ("Project", "zone"), ("StatusEvent", "actor"), ("PovertyLine", "area")],
)
def test_nullable_references_are_marked_nullable(schema, component, field):
    assert schema["components"]["schemas"][component]["properties"][field].get("nullable") is True
