"""The event's files prepared by a job (elearn.downloads): the list of registrations, as
filtered on the dashboard, in CSV or XLSX. Asked for from the dashboard's export links; the
organiser's right is asked again when the file is fetched."""

from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.accounts.permissions import can
from elearn.downloads import Built, DownloadError, register
from elearn.extensions import db

from . import services
from .models import Event

REGISTRATIONS = "events.registrations"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parameters(event: Event, fmt: str, args) -> dict:
    return {"event_id": event.id, "fmt": fmt,
            "filters": services.RegistrationFilter.from_args(args).as_args()}


def filename(event: Event, fmt: str) -> str:
    return f"event-{event.id}-registrations.{fmt}"


def _event(params: dict) -> Event | None:
    event_id = params.get("event_id")
    return db.session.get(Event, event_id) if isinstance(event_id, int) else None


def may_download(user, params: dict) -> bool:
    event = _event(params)
    return event is not None and can(user, "manage", event)


def build(owner, params: dict) -> Built:
    event = _event(params)
    if event is None:
        raise DownloadError(_("This event no longer exists."))
    # The requester's rights now, as on the dashboard: sensitive answers (filter and columns)
    # only for the event's own organisers.
    regs = services.registrations(event, services.RegistrationFilter.from_args(
        params.get("filters") or {}, services.reads_sensitive(event, owner)))
    lang = str(get_locale())
    if params.get("fmt") == "xlsx":
        return Built(services.registrations_xlsx(regs, lang, event, owner),
                     filename(event, "xlsx"), XLSX)
    # The byte-order mark lets Excel read the UTF-8 (accented names) as such.
    body = "\ufeff" + services.registrations_csv(regs, lang, event, owner)
    return Built(body.encode(), filename(event, "csv"), "text/csv; charset=utf-8")


register(REGISTRATIONS, build=build, may_download=may_download)
