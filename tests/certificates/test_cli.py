"""`flask elearn issue-certificates`: same rule and progress record as the page."""

from sqlalchemy import func, select

from elearn.certificates.models import Certificate, IssueJob
from elearn.extensions import db


def test_cli_issues_to_everyone_who_qualifies(app, make_user, make_event, register, attend,
                                             make_template, mailbox):
    event = make_event(sessions=2)
    for n in range(3):
        person = make_user(email=f"p{n}@example.org", full_name=f"Persona Número {n}")
        register(event, person)
        attend(person, event.sessions if n < 2 else event.sessions[:1])
    make_template()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["elearn", "issue-certificates", "--event", str(event.id)])
    assert result.exit_code == 0, result.output
    assert "2 issued, 0 already had one" in result.output
    assert "Issuing certificates" in result.output
    assert db.session.scalar(select(func.count(Certificate.id))) == 2
    assert db.session.scalar(select(IssueJob.status)) == "finished"
    assert mailbox.last("p0@example.org") and not mailbox.to("p2@example.org")
    again = runner.invoke(args=["elearn", "issue-certificates", "--event", str(event.id)])
    assert "0 issued, 2 already had one" in again.output


def test_cli_reports_bad_input_clearly(app, make_event):
    runner = app.test_cli_runner()
    both = runner.invoke(args=["elearn", "issue-certificates", "--event", "1", "--edition", "1"])
    assert both.exit_code != 0 and "exactly one" in both.output
    missing = runner.invoke(args=["elearn", "issue-certificates", "--event", "999"])
    assert missing.exit_code != 0 and "No event with id 999" in missing.output
    event = make_event(sessions=1)
    wrong = runner.invoke(args=["elearn", "issue-certificates", "--event", str(event.id),
                                "--kind", "diploma"])
    assert wrong.exit_code != 0 and "not for a event" in wrong.output
    no_template = runner.invoke(args=["elearn", "issue-certificates", "--event", str(event.id)])
    assert no_template.exit_code != 0 and "no certificate template" in no_template.output
