"""The address people reach the app at, for links that leave it: emails, calendar files and
feeds, QR codes on tickets and certificates.

Production sets BASE_URL (config.check refuses to start without an https one), because a link
in an email must not follow whatever Host header a request carried. In development BASE_URL is
usually unset: the link then points where the person's browser reached the app (the request),
or, outside a request (CLI, RQ jobs), at SERVER_NAME, else at Flask's default address with a
warning in the log.
"""

import logging

from flask import current_app, has_request_context, request

DEVELOPMENT_FALLBACK = "http://127.0.0.1:5000"
log = logging.getLogger(__name__)
_warned = False


def base_url() -> str:
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    server_name = current_app.config.get("SERVER_NAME")
    if server_name:
        scheme = current_app.config.get("PREFERRED_URL_SCHEME") or "http"
        return f"{scheme}://{server_name}"
    global _warned
    if not _warned:
        _warned = True
        log.warning("BASE_URL and SERVER_NAME are unset: links built outside a request point at "
                    "%s. Set BASE_URL to the address people use.", DEVELOPMENT_FALLBACK)
    return DEVELOPMENT_FALLBACK


def absolute_url(endpoint: str, **values) -> str:
    """base_url() + the route's path, built without a request (emails, jobs, CLI)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path
