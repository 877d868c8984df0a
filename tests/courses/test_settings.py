"""Edition settings: validated as a whole, audited, times read in the edition's zone."""

from sqlalchemy import select

from elearn.audit.models import AuditRecord
from elearn.extensions import db

FORM = {
    "name_en": "Caribbean edition", "starts_on": "2027-03-01", "ends_on": "2027-05-01",
    "timezone": "America/Port_of_Spain", "language": "en", "capacity": "25",
    "applications_open_at": "2027-01-10T09:00", "applications_close_at": "2027-02-10T18:00",
    "eligible_countries": "", "eligible_subregions": ["caribbean"],
    "public_officials_only": "y", "min_grade": "60", "min_attendance_percent": "75",
    "require_required_passed": "y",
}


def test_staff_change_settings(client, login, edition, instructor):
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/settings")
    assert page.status_code == 200 and b"America/Caracas" in page.data
    response = client.post(f"/courses/editions/{edition.id}/settings", data=FORM)
    assert response.status_code == 302, response.data
    db.session.refresh(edition)
    assert edition.name == {"en": "Caribbean edition"} and edition.capacity == 25
    assert edition.eligible_subregions == ["caribbean"] and edition.public_officials_only
    assert edition.min_attendance_share == 0.75 and not edition.require_final_passed
    assert edition.applications_open_at.hour == 13  # 09:00 in Port of Spain (UTC-4)
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                        "edition.settings"))
    assert audit.before["name"] == {"en": "Second edition"}
    assert audit.after["name"] == {"en": "Caribbean edition"}


def test_bad_settings_are_all_reported_and_nothing_changes(client, login, edition,
                                                           instructor):
    login(instructor)
    # The time zone is a select: a zone not in the list is refused by the form itself.
    response = client.post(f"/courses/editions/{edition.id}/settings",
                           data=dict(FORM, timezone="Mars/Olympus"))
    assert response.status_code == 400 and b"Choose a time zone from the list" in response.data
    bad = dict(FORM, ends_on="2027-01-01",
               eligible_countries="JM, XX", applications_close_at="2027-01-01T00:00")
    response = client.post(f"/courses/editions/{edition.id}/settings", data=bad)
    assert response.status_code == 400
    for message in (b"end after it starts", b"XX", b"close after they open"):
        assert message in response.data
    db.session.refresh(edition)
    assert edition.name == {"en": "Second edition"} and edition.timezone == "America/Caracas"


def test_capacity_not_below_seats_taken(client, login, edition, instructor, participant):
    participant()
    participant()
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/settings",
                           data=dict(FORM, capacity="1"))
    assert response.status_code == 400 and b"places already taken" in response.data


def test_participants_cannot_change_settings(client, login, edition, participant):
    login(participant())
    assert client.post(f"/courses/editions/{edition.id}/settings",
                       data=FORM).status_code == 403
