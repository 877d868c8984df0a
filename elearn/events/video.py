"""The online meeting of an event: which provider, its meeting, and each person's way in.

The invites never carry a provider's URL, only the app's own /events/<id>/join, which ends
here: so an organiser may switch provider, or a BigBlueButton meeting may be recreated, with no
new invites sent.
"""

import logging
import secrets

from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.integrations.video import ProviderError, get_provider

from .models import Event, EventSession, ParticipantRole, Registration, VideoProvider

log = logging.getLogger(__name__)
# People who run the room: they join BigBlueButton as moderators.
MODERATING_ROLES = {ParticipantRole.ORGANISER, ParticipantRole.MODERATOR, ParticipantRole.CHAIR}


def _meeting_name(event: Event) -> str:
    # The meeting room is shared by readers of every language: the main language's title.
    return event.text("title", event.language) or f"Event {event.id}"


def _provider(event: Event):
    return get_provider(event.video_provider, manual_url=event.video_url)


def provision_meeting(event: Event) -> None:
    """Create or confirm the event's meeting with its provider and store the outcome.

    On success video_error is cleared; on ProviderError it is stored (so the organiser page can
    show it and offer a retry) and the error is raised again. The caller commits either way.
    """
    try:
        provider = _provider(event)
        if provider is None:
            event.video_meeting_id = None
            event.video_url = None
            event.video_error = None
            return
        if event.video_meeting_id is None and event.video_provider == VideoProvider.BIGBLUEBUTTON:
            # Random part: two sites sharing one BBB server must never share a room. Kept
            # even if this create fails, so a retry (or a create that did succeed before
            # its answer was lost) reuses the same meeting.
            event.video_meeting_id = f"elearn-{event.id}-{secrets.token_hex(6)}"
        info = provider.create_meeting(event.video_meeting_id, _meeting_name(event))
    except ProviderError as exc:
        log.warning("Video provider failed for event %s: %s (%s)", event.id, exc, exc.detail)
        event.video_error = str(exc)
        raise
    event.video_meeting_id = info.meeting_id
    if info.url is not None or event.video_provider != VideoProvider.MANUAL:
        event.video_url = info.url
    event.video_error = None


def choose_provider(event: Event, provider: VideoProvider, *, manual_url: str | None = None,
                    actor=None) -> None:
    """The organiser's choice of provider (and pasted link), audited, then the meeting set up.
    The choice stays even when setting up fails: ProviderError is raised after it is stored
    in the session (video_error set), and the caller commits either way."""
    before = {"provider": VideoProvider(event.video_provider).value, "url": event.video_url}
    if provider != event.video_provider:
        event.video_meeting_id = None  # another provider's meeting means nothing here
        event.video_url = None
    event.video_provider = provider
    if provider == VideoProvider.MANUAL:
        event.video_url = manual_url
    event.video_error = None
    record("event.video_settings", event, actor=actor, before=before,
           after={"provider": provider.value, "url": event.video_url})
    provision_meeting(event)


class NoMeetingYet(ProviderError):
    """The organisers have not chosen a meeting yet: nothing is broken, it is too early (the
    join page answers 409 and says when to come back, not 503)."""


def _join(event: Event, user, *, moderator: bool, session: EventSession | None) -> str:
    if session is not None and session.virtual_url:
        return session.virtual_url
    provider = _provider(event)
    if provider is None:
        raise NoMeetingYet(_no_meeting_message())
    if event.video_provider == VideoProvider.JITSI and not event.video_meeting_id:
        provision_meeting(event)
    if event.video_provider == VideoProvider.BIGBLUEBUTTON:
        # BBB drops a meeting nobody joined within minutes, so make sure it exists now;
        # create is idempotent for the same meetingID and passwords.
        provision_meeting(event)
    return provider.join_url(event.video_meeting_id, user.display_name, user.id, moderator)


def join_url_for(registration: Registration, session: EventSession | None = None) -> str:
    """Where this person's browser goes to join. Raises ProviderError (translated message)
    when there is no meeting yet or the provider cannot be reached."""
    event = registration.event
    moderator = registration.role in MODERATING_ROLES or can(registration.user, "manage", event)
    return _join(event, registration.user, moderator=moderator, session=session)


def organiser_join_url(event: Event, user, session: EventSession | None = None) -> str:
    """An organiser without a registration joins as moderator."""
    return _join(event, user, moderator=True, session=session)


def meeting_attendance(event: Event) -> list[dict]:
    """Who is in the event's meeting now: [{"user_id", "full_name", "role", "seen_at"}], with
    user_id as this site's user id where the provider reports it (BBB: the userID we sent).
    Providers without an API give an empty list."""
    provider = _provider(event)
    if provider is None or not event.video_meeting_id:
        return []
    info = provider.meeting_info(event.video_meeting_id)
    people = []
    for attendee in info.get("attendees", []):
        raw = attendee.get("user_id")
        people.append({**attendee, "user_id": int(raw) if raw and str(raw).isdigit() else None})
    return people


def end_meeting(event: Event) -> None:
    provider = _provider(event)
    if provider is not None and event.video_meeting_id:
        provider.end_meeting(event.video_meeting_id)


def _no_meeting_message() -> str:
    from flask_babel import gettext as _

    return _("The organisers have not set up the online meeting yet. Please try again closer "
             "to the start time.")
