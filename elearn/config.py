"""Settings read from the environment, with defaults that are safe for development.

Production is whatever `ELEARN_ENV=production` says; there the app refuses to start with the
development SECRET_KEY or any key shorter than 32 bytes, because a known or guessable key lets
anyone forge sessions and email tokens.
"""

import os

DEV_SECRET_KEY = "dev-only-change-me"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _proxies(value: str) -> int | list[str]:
    value = value.strip()
    if value.isdigit():
        return int(value)
    return [part.strip() for part in value.split(",") if part.strip()]


# The organisation's name as each language writes it (the footer); ORGANISATION_NAME_<LANG>
# overrides one language, ORGANISATION_NAME the English name (also used in emails and
# calendars, which are not always in the reader's language).
ORGANISATION_NAMES = {
    "en": "Latin American and Caribbean Economic System (SELA)",
    "es": "Sistema Económico Latinoamericano y del Caribe (SELA)",
    "pt": "Sistema Econômico Latino-Americano e do Caribe (SELA)",
    "fr": "Système économique latino-américain et caribéen (SELA)",
}


def _organisation_names() -> dict[str, str]:
    english = os.environ.get("ORGANISATION_NAME") or ORGANISATION_NAMES["en"]
    defaults = ORGANISATION_NAMES | {"en": english}
    return {lang: os.environ.get(f"ORGANISATION_NAME_{lang.upper()}") or name
            for lang, name in defaults.items()}


def from_environment(instance_path: str) -> dict:
    production = os.environ.get("ELEARN_ENV", "development") == "production"
    default_db = "sqlite:///" + os.path.join(instance_path, "elearn.db")
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or default_db,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Where people reach the app, for links that leave it (emails, .ics, QR codes). Unset in
        # development: taken from the request (base_url.py); production requires it.
        "BASE_URL": (os.environ.get("BASE_URL") or "").rstrip("/"),
        "DEFAULT_TIMEZONE": os.environ.get("DEFAULT_TIMEZONE", "America/Caracas"),
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME") or ORGANISATION_NAMES["en"],
        "ORGANISATION_NAMES": _organisation_names(),
        # Open Badges signing keys, PEM files outside the database (certificates/credential_keys)
        "CREDENTIAL_KEYS_DIR": os.environ.get("CREDENTIAL_KEYS_DIR")
        or os.path.join(instance_path, "credential_keys"),
        # Mail: with no MAIL_SERVER, messages stay in the outbox and are printed to the log.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "noreply@elearn.local"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # inline | thread | rq; unset: rq with REDIS_URL, a thread after the response without.
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY") or None,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Log-in throttling (accounts/services/throttle.py): free failures per (account,
        # client address) pair and per client address, then a doubling wait up to the cap.
        "LOGIN_FREE_TRIES_PER_PAIR": int(os.environ.get("LOGIN_FREE_TRIES_PER_PAIR", "5")),
        "LOGIN_FREE_TRIES_PER_ADDRESS": int(os.environ.get("LOGIN_FREE_TRIES_PER_ADDRESS", "30")),
        "LOGIN_FAILURE_WINDOW": int(os.environ.get("LOGIN_FAILURE_WINDOW", "3600")),
        "LOGIN_MAX_DELAY": int(os.environ.get("LOGIN_MAX_DELAY", "900")),
        # Flask-Limiter limits on pages that send email to an address typed by anyone.
        "MAIL_LIMIT_PER_EMAIL": os.environ.get("MAIL_LIMIT_PER_EMAIL", "5 per hour"),
        "MAIL_LIMIT_PER_ADDRESS": os.environ.get("MAIL_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        # Client address: X-Forwarded-For is believed only from these proxies (a number of hops
        # or a comma-separated list of proxy addresses/networks); unset, it is ignored.
        "TRUSTED_PROXIES": _proxies(os.environ.get("TRUSTED_PROXIES", "")),
        # Check-in, roll call and self check-in codes work from this long before a session
        # starts to this long after it ends (attendance/window.py); later needs a reason.
        "ATTENDANCE_OPENS_BEFORE_MINUTES":
            int(os.environ.get("ATTENDANCE_OPENS_BEFORE_MINUTES", "60")),
        "ATTENDANCE_CLOSES_AFTER_MINUTES":
            int(os.environ.get("ATTENDANCE_CLOSES_AFTER_MINUTES", "120")),
        "SESSION_MAX_AGE": int(os.environ.get("SESSION_MAX_AGE", str(30 * 24 * 3600))),
        "EMAIL_TOKEN_MAX_AGE": int(os.environ.get("EMAIL_TOKEN_MAX_AGE", str(48 * 3600))),
        "RESET_TOKEN_MAX_AGE": int(os.environ.get("RESET_TOKEN_MAX_AGE", str(2 * 3600))),
        "WTF_CSRF_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(20 * 1024 * 1024))),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"},
    }


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


MIN_SECRET_KEY_BYTES = 32


def check(config: dict) -> None:
    key = config.get("SECRET_KEY") or ""
    if not key:
        # An empty key signs nothing: every session and emailed link would be forgeable.
        raise ConfigError("SECRET_KEY is empty: set SECRET_KEY to a long random value.")
    if config.get("ENV_NAME") != "production":
        return
    if key == DEV_SECRET_KEY:
        raise ConfigError(
            "Refusing to start in production with the development SECRET_KEY: set SECRET_KEY "
            "to a long random value (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"Refusing to start in production: SECRET_KEY must be at least "
            f"{MIN_SECRET_KEY_BYTES} bytes of random data (python -c 'import secrets; "
            f"print(secrets.token_hex(32))')."
        )
    base_url = config.get("BASE_URL") or ""
    if not base_url.startswith("https://"):
        # Links in emails and QR codes outlive the request: they cannot follow a Host header.
        raise ConfigError("Refusing to start in production without BASE_URL: set BASE_URL to "
                          "the https:// address people reach the app at.")
