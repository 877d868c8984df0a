"""Edition eligibility in the courses' words; the decision is elearn.accounts.eligibility."""

import pytest

from elearn.courses.errors import CourseError
from elearn.courses.models import EnrolmentStatus
from elearn.courses.services import enrolment as service
from elearn.courses.services.eligibility import describe, ineligibility_reason
from elearn.extensions import db


def test_country_or_subregion_admits(edition, make_user):
    edition.eligible_countries = ["MX"]
    edition.eligible_subregions = ["caribbean"]
    db.session.commit()
    assert service.apply(edition, make_user(country="MX"), "x").status == \
        EnrolmentStatus.PENDING
    assert service.apply(edition, make_user(country="JM"), "x").status == \
        EnrolmentStatus.PENDING
    with pytest.raises(CourseError) as exc:
        service.apply(edition, make_user(country="AR"), "x")
    assert exc.value.status == 403
    assert exc.value.message == ("This edition is open only to people from: Mexico, "
                                 "the Caribbean.")
    assert describe(edition) == ["Open to member states of: the Caribbean.",
                                 "Open to people from: Mexico."]


@pytest.mark.parametrize("rule, profile, reason", [
    ({"eligible_subregions": ["central_america"]}, {"country": "JM"},
     "This edition is open only to member states of: Central America."),
    ({"eligible_subregions": ["caribbean"]}, {"country": "AR"},
     "This edition is open only to Caribbean member states."),
    ({"public_officials_only": True}, {"country": "AR"},
     "This edition is open only to public officials. If you are one, say so in your profile."),
    ({"eligible_sectors": ["government", "academia"]}, {"sector": "private"},
     "This edition is open only to these sectors: Government, Academia."),
])
def test_reasons_in_the_courses_words(edition, make_user, rule, profile, reason):
    for key, value in rule.items():
        setattr(edition, key, value)
    db.session.commit()
    assert ineligibility_reason(edition, make_user(**profile)) == reason
