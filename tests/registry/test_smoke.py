import datetime as dt

from tests.conftest import walk


def test_register_and_identify(make_household, province_user, yanshou_village):
    hh = make_household(yanshou_village, per_capita="800")
    walk(hh, province_user, "identification", dt.date(2010, 3, 1))
    hh.refresh_from_db()
    assert hh.status == "poor"
    assert hh.status_events.count() == 6
