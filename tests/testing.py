"""Base test classes: a resource's API tests are a declaration (NetBox style).

A concrete class sets ``list_url`` and implements ``make(village_code, actor)`` (create one
object in that village through the services) and, for creatable resources,
``create_data(village_code)``. It inherits tests of authentication, listing with
``count``, scope (a county user sees and changes only their county), masking, creation
in and out of scope, and refusal for read-only roles."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from fupin.core.choices import Role
from fupin.core.models import AuditEvent


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class APIResourceTests:
    list_url: str = ""
    creatable = True

    def make(self, village_code: str, actor: Any) -> Any:
        raise NotImplementedError

    def key(self, obj: Any) -> str:
        return str(obj.pk)

    def create_data(self, village_code: str) -> dict[str, Any]:
        raise NotImplementedError

    def model_count(self) -> int:
        raise NotImplementedError

    # --- inherited tests --------------------------------------------------------------

    def test_anonymous_is_refused(self, db):
        assert api().get(self.list_url).status_code in (401, 403)

    def test_list_is_paginated_with_count_and_scoped(self, province_user, county_user, yanshou_village, bayan_village):
        ours = self.make(yanshou_village, province_user)
        theirs = self.make(bayan_village, province_user)
        everything = api(province_user).get(self.list_url).json()
        assert everything["count"] >= 2
        keys = {str(r.get("code", r.get("id"))) for r in everything["results"]}
        assert {self.key(ours), self.key(theirs)} <= keys
        county = api(county_user).get(self.list_url).json()
        county_keys = {str(r.get("code", r.get("id"))) for r in county["results"]}
        assert self.key(ours) in county_keys
        assert self.key(theirs) not in county_keys
        assert county["count"] < everything["count"]

    def test_detail_out_of_scope_is_not_found(self, province_user, county_user, bayan_village):
        theirs = self.make(bayan_village, province_user)
        assert api(province_user).get(f"{self.list_url}{self.key(theirs)}/").status_code == 200
        assert api(county_user).get(f"{self.list_url}{self.key(theirs)}/").status_code == 404

    def test_filter_by_area_code(self, province_user, yanshou_village, bayan_village):
        ours = self.make(yanshou_village, province_user)
        self.make(bayan_village, province_user)
        rows = api(province_user).get(self.list_url, {"area": yanshou_village[:6]}).json()["results"]
        assert {str(r.get("code", r.get("id"))) for r in rows} == {self.key(ours)}

    def test_bad_area_code_is_a_clear_error(self, province_user):
        response = api(province_user).get(self.list_url, {"area": "23x"})
        assert response.status_code == 400
        assert response.json()["field"] == "area"

    def test_create_in_scope(self, county_user, yanshou_village):
        if not self.creatable:
            assert api(county_user).post(self.list_url, {}, format="json").status_code == 405
            return
        data = self.create_data(yanshou_village)
        before = self.model_count()
        response = api(county_user).post(self.list_url, data, format="json")
        assert response.status_code == 201, response.json()
        assert self.model_count() == before + 1
        assert AuditEvent.objects.filter(actor=county_user, channel="api").exists()

    def test_create_out_of_scope_is_refused(self, county_user, bayan_village):
        if not self.creatable:
            return  # covered by test_create_in_scope: the resource refuses every POST
        data = self.create_data(bayan_village)
        before = self.model_count()
        response = api(county_user).post(self.list_url, data, format="json")
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "out_of_scope"
        assert self.model_count() == before

    def test_read_only_roles_cannot_create(self, make_user, yanshou_village):
        if not self.creatable:
            return  # covered by test_create_in_scope: the resource refuses every POST
        auditor = make_user(Role.AUDITOR, ("230000000000",))
        data = self.create_data(yanshou_village)
        before = self.model_count()
        response = api(auditor).post(self.list_url, data, format="json")
        assert response.status_code == 403
        assert self.model_count() == before

    def test_public_role_sees_nothing(self, make_user, province_user, yanshou_village):
        self.make(yanshou_village, province_user)
        public = make_user(Role.PUBLIC, ("230000000000",), identifiers=False)
        assert api(public).get(self.list_url).json()["count"] == 0
