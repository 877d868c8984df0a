"""The one eligibility decision shared by events and course editions."""

from types import SimpleNamespace

import pytest
from sqlalchemy import event as sa_event

from elearn.accounts.eligibility import EligibilityRule, Unmet, subregion_of, unmet_condition
from elearn.accounts.models import MemberState
from elearn.extensions import db


def offer(**rule):
    base = {"eligible_countries": None, "eligible_subregions": None, "eligible_sectors": None,
            "public_officials_only": False}
    return SimpleNamespace(**(base | rule))


def test_rule_of_an_offer_normalises_lists():
    rule = EligibilityRule.of(offer(eligible_countries=["jm", "BB"],
                                    eligible_subregions=["caribbean"]))
    assert rule.countries == ("JM", "BB") and rule.subregions == ("caribbean",)
    assert rule.limits_location and rule.caribbean_only
    assert EligibilityRule.of(offer()) == EligibilityRule()


@pytest.mark.parametrize("rule, profile, unmet", [
    ({}, {}, None),
    ({"eligible_countries": ["JM"]}, {}, Unmet.NO_COUNTRY),
    ({"eligible_countries": ["JM"]}, {"country": "VE"}, Unmet.LOCATION),
    ({"eligible_countries": ["JM"]}, {"country": "jm"}, None),
    ({"eligible_subregions": ["caribbean"]}, {"country": "AR"}, Unmet.LOCATION),
    ({"eligible_subregions": ["caribbean"]}, {"country": "JM"}, None),
    # Country OR sub-region: either list admits a person.
    ({"eligible_countries": ["MX"], "eligible_subregions": ["caribbean"]},
     {"country": "MX"}, None),
    ({"eligible_countries": ["MX"], "eligible_subregions": ["caribbean"]},
     {"country": "JM"}, None),
    ({"eligible_countries": ["MX"], "eligible_subregions": ["caribbean"]},
     {"country": "AR"}, Unmet.LOCATION),
    ({"eligible_sectors": ["government"]}, {"sector": "academia"}, Unmet.SECTOR),
    ({"eligible_sectors": ["government"]}, {}, Unmet.SECTOR),
    ({"eligible_sectors": ["government"]}, {"sector": "government"}, None),
    ({"public_officials_only": True}, {}, Unmet.PUBLIC_OFFICIALS_ONLY),
    ({"public_officials_only": True}, {"is_public_official": True}, None),
    # The first failed condition is reported: place, then sector, then official.
    ({"eligible_countries": ["JM"], "eligible_sectors": ["government"],
      "public_officials_only": True}, {"country": "VE"}, Unmet.LOCATION),
    ({"eligible_sectors": ["government"], "public_officials_only": True}, {}, Unmet.SECTOR),
])
def test_unmet_condition(make_user, rule, profile, unmet):
    person = make_user(**profile)
    assert unmet_condition(EligibilityRule.of(offer(**rule)), person) == unmet


def test_inactive_member_state_has_no_subregion(app):
    state = db.session.get(MemberState, "JM")
    assert subregion_of("jm") == "caribbean"
    state.active = False
    db.session.flush()
    try:
        assert subregion_of("JM") is None
    finally:
        db.session.rollback()
    assert subregion_of(None) is None and subregion_of("ZZ") is None


def test_member_state_lookup_is_one_query(make_user):
    person = make_user(country="AR")
    db.session.expire_all()
    statements = []
    engine = db.engine

    def seen(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    sa_event.listen(engine, "before_cursor_execute", seen)
    try:
        rule = EligibilityRule(countries=("MX",), subregions=("caribbean",))
        assert unmet_condition(rule, SimpleNamespace(
            country=person.country, sector=None, is_public_official=False)) == Unmet.LOCATION
    finally:
        sa_event.remove(engine, "before_cursor_execute", seen)
    assert len([s for s in statements if "member_state" in s]) == 1
