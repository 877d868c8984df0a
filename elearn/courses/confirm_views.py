"""The words of the edition staff's irreversible actions: the confirmation pages (closing the
edition, deciding on many applications or rejecting) built on templates/core/confirm.html, and
the message saying what a decision did, with how many people and why some were skipped."""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from .models import Edition
from .services import closing
from .services.enrolment import DecisionResult

SKIP_REASONS = {
    "decided": lambda n: ngettext(
        "%(num)s skipped: a decision had already been taken.",
        "%(num)s skipped: a decision had already been taken.", n),
    "full": lambda n: ngettext(
        "%(num)s skipped: already on the waiting list and no place is free.",
        "%(num)s skipped: already on the waiting list and no place is free.", n),
}


def close_confirmation(edition: Edition, back: str):
    """Closing: how many will be completed / not completed, and what is not over yet."""
    counts = closing.preview(edition)
    consequences = [
        _("%(n)s accepted participants will be marked completed.", n=counts.completed),
        _("%(n)s accepted participants will be marked not completed.", n=counts.not_completed),
        _("The edition will be closed: this cannot be undone, and certificates follow these "
          "results."),
    ]
    return render_template(
        "core/confirm.html", title=_("Close the edition and record results?"),
        consequences=consequences, refusals=closing.too_early(edition),
        early={"label": _("Close early"), "field": "close_early"},
        action="", confirm_label=_("Close the edition and record results"),
        cancel_url=back, reason=None,
        reason_label=_("Why close early? (kept in the audit log)"))


def needs_confirmation(decision: str, ids: list[int]) -> bool:
    """Rejecting anyone, or deciding for more than one person at once."""
    return decision == "reject" or len(set(ids)) > 1


def decision_lines(decision: str, result: DecisionResult, future: bool) -> list[str]:
    """Sentences with counts, before ("will be accepted") or after ("accepted")."""
    lines = []
    if result.accepted:
        lines.append((_("%(n)s will be accepted.") if future else _("%(n)s accepted."))
                     % {"n": result.accepted})
    if result.waitlisted and decision == "accept":
        lines.append((_("%(n)s will go to the waiting list: no place is left.") if future
                      else _("%(n)s went to the waiting list, not accepted: no place was "
                             "left.")) % {"n": result.waitlisted})
    elif result.waitlisted:
        lines.append((_("%(n)s will be put on the waiting list.") if future
                      else _("%(n)s put on the waiting list.")) % {"n": result.waitlisted})
    if result.rejected:
        lines.append((_("%(n)s will be rejected; each is emailed the reason.") if future
                      else _("%(n)s rejected; each is emailed the reason."))
                     % {"n": result.rejected})
    for why, count in sorted(result.skipped_because.items()):
        lines.append(SKIP_REASONS[why](count))
    return lines


def decision_confirmation(decision: str, ids: list[int], reason: str, preview: DecisionResult,
                          back: str):
    return render_template(
        "core/confirm.html", title=_("Apply this decision to %(n)s applications?", n=len(ids)),
        consequences=decision_lines(decision, preview, future=True) + [
            _("Each person is told of the decision by email.")],
        action="", hidden={"ids": [str(i) for i in ids], "decision": decision,
                           "reason": reason or ""},
        confirm_label=_("Apply the decision"), cancel_url=back)
