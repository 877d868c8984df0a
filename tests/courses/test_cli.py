from elearn.courses.models import EnrolmentStatus
from elearn.courses.services.completion import participants
from elearn.extensions import db


def test_completion_and_close_commands(app, edition, participant):
    user = participant()
    runner = app.test_cli_runner()
    report = runner.invoke(args=["elearn", "course-completion", str(edition.id)])
    assert report.exit_code == 0, report.output
    assert user.email in report.output and "NOT complete" in report.output
    assert '"Quiz 1" is not done yet.' in report.output
    early = runner.invoke(args=["elearn", "course-close", str(edition.id)])
    assert early.exit_code != 0 and "too early" in early.output and "Quiz 1" in early.output
    db.session.expire_all()
    assert participants(edition)[0].status == EnrolmentStatus.ACCEPTED
    closed = runner.invoke(args=["elearn", "course-close", str(edition.id),
                                 "--early-reason", "Programme cancelled."])
    assert "0 completed, 1 not completed" in closed.output, closed.output
    db.session.expire_all()
    assert participants(edition)[0].status == EnrolmentStatus.NOT_COMPLETED
    missing = runner.invoke(args=["elearn", "course-close", "999"])
    assert missing.exit_code != 0 and "No edition" in missing.output
