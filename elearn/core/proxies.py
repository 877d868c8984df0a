"""The client's address behind reverse proxies.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only from proxies
the operator names in TRUSTED_PROXIES: a number of hops (Werkzeug's ProxyFix takes that many
entries from the right), or a list of proxy addresses/networks (the client is the right-most
address that is not one of them). Unset, the header is ignored and the socket's address counts:
otherwise anyone could pose as any address and slip past the log-in throttle.
"""

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app) -> None:
    trusted = app.config.get("TRUSTED_PROXIES")
    if isinstance(trusted, int) and not isinstance(trusted, bool) and trusted > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)
    elif isinstance(trusted, list | tuple) and trusted:
        app.wsgi_app = ProxyList(app.wsgi_app, trusted)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class ProxyList:
    """Believe X-Forwarded-For / X-Forwarded-Proto only when the socket peer is a listed proxy."""

    def __init__(self, wsgi_app, networks):
        self.wsgi_app = wsgi_app
        self.networks = [ipaddress.ip_network(n.strip(), strict=False) for n in networks]

    def _trusted(self, value: str | None) -> bool:
        address = _address(value or "")
        return address is not None and any(address in net for net in self.networks)

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR")):
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            for hop in reversed([h for h in hops if h]):
                if not self._trusted(hop):
                    if _address(hop) is not None:
                        environ["werkzeug.proxy_fix.orig_remote_addr"] = environ["REMOTE_ADDR"]
                        environ["REMOTE_ADDR"] = hop
                    break
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)
