"""Settings read from the environment, with defaults that are safe for development.

Production is whatever `ELEARN_ENV=production` says; there the app refuses to start until every
setting a real deployment needs is right (see `check` at the end): a known or short SECRET_KEY
lets anyone forge sessions and email tokens, SQLite cannot be shared by two app hosts, links in
emails need the public https address, and mail and Redis are what the worker runs on.
"""

import os
from collections.abc import Callable, Iterable, Mapping

from elearn.multilingual import LANGUAGE_NAMES

DEV_SECRET_KEY = "dev-only-change-me"
DEV_MAIL_SENDER = "noreply@elearn.local"


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


def _storage(instance_path: str) -> dict:
    """Files (elearn/storage): a local directory by default; with STORAGE_BACKEND=s3 an
    S3-compatible bucket, which every app host sees (credentials: AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or anything else boto3 reads)."""
    return {
        "STORAGE_BACKEND": (os.environ.get("STORAGE_BACKEND") or "local").strip().lower(),
        "STORAGE_LOCAL_DIR": os.environ.get("STORAGE_LOCAL_DIR") or instance_path,
        "STORAGE_S3_BUCKET": os.environ.get("STORAGE_S3_BUCKET") or None,
        "STORAGE_S3_PREFIX": os.environ.get("STORAGE_S3_PREFIX", ""),
        "STORAGE_S3_ENDPOINT_URL": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
        "STORAGE_S3_REGION": os.environ.get("STORAGE_S3_REGION") or None,
        # Downloads redirect to a presigned URL instead of streaming through the app.
        "STORAGE_S3_PRESIGNED": _bool("STORAGE_S3_PRESIGNED", False),
        "STORAGE_S3_PRESIGNED_SECONDS": int(os.environ.get("STORAGE_S3_PRESIGNED_SECONDS", "60")),
    }


def engine_options(database_url: str) -> dict:
    """Idle pooled connections are tested before use (extensions.py), busy ones are not. On
    PostgreSQL each process keeps DATABASE_POOL_SIZE connections (default 10: gunicorn's eight
    threads and the mail delivery thread, deploy/gunicorn.conf.py): SQLAlchemy's default of
    five closed the connections a crowd needed beyond five after each use and opened them
    again, a new PostgreSQL backend each time."""
    options = {"pool_pre_ping": False}
    if database_url.startswith("postgresql"):
        options["pool_size"] = int(os.environ.get("DATABASE_POOL_SIZE") or 10)
    return options


def from_environment(instance_path: str) -> dict:
    production = os.environ.get("ELEARN_ENV", "development") == "production"
    default_db = "sqlite:///" + os.path.join(instance_path, "elearn.db")
    database_url = os.environ.get("DATABASE_URL") or default_db
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
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
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or DEV_MAIL_SENDER,
        # The ORGANIZER of calendar invites: a real mailbox of the organisers ("Name <address>"
        # or an address); unset, MAIL_DEFAULT_SENDER.
        "CALENDAR_ORGANIZER": os.environ.get("CALENDAR_ORGANIZER") or None,
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # Cancelled sessions stay in calendar feeds (STATUS:CANCELLED) this long after their
        # original end, so subscribed calendars remove them; then they leave the feed.
        "CALENDAR_KEEP_CANCELLED_DAYS": int(os.environ.get("CALENDAR_KEEP_CANCELLED_DAYS", "30")),
        # inline | thread | rq; unset: rq with REDIS_URL, a thread after the response without.
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY") or None,
        "REDIS_URL": redis_url,
        # The disclosure audit's results kept for every worker (Redis, else the database).
        "DISCLOSURE_CACHE": _bool("DISCLOSURE_CACHE", True),
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
        # The interface's languages are the languages content can be written in.
        "LANGUAGES": dict(LANGUAGE_NAMES),
        # Logs: `json` writes one JSON object a line (what log collectors read), `text` the
        # usual lines for a terminal. Every request leaves one line on logger elearn.request.
        "LOG_FORMAT": (os.environ.get("LOG_FORMAT") or ("json" if production else "text")).lower(),
        # /readyz wants a worker heartbeat this recent when REDIS_URL is set. An idle RQ worker
        # beats about every 7 minutes (its TTL, 420 s, less 15), so less than 8 would flap.
        "READY_WORKER_HEARTBEAT_MINUTES":
            int(os.environ.get("READY_WORKER_HEARTBEAT_MINUTES", "10")),
        # Prepared downloads (exports built by a job): files are deleted this long after
        # they are ready; one no worker finished within the minutes is reported failed.
        "DOWNLOADS_KEEP_HOURS": int(os.environ.get("DOWNLOADS_KEEP_HOURS", "24")),
        "DOWNLOADS_STALE_MINUTES": int(os.environ.get("DOWNLOADS_STALE_MINUTES", "70")),
        # Where PDFs find fonts for letters DejaVu lacks (Chinese, Arabic, Devanagari...):
        # directories of TrueType files separated by ':'; empty for none.
        "PDF_FALLBACK_FONT_DIRS": os.environ.get("PDF_FALLBACK_FONT_DIRS"),
        **_storage(instance_path),
    }


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


# --- start-up checks -----------------------------------------------------------------------
# `check(config)` runs every registered check and raises ONE ConfigError listing all the
# problems, so an operator fixes the environment in one go instead of one restart per setting.
# A check is a function taking the app's config and returning (or yielding) problems, each a
# sentence that names the variable and says what to set. To add one (storage: S3 settings when
# STORAGE_BACKEND=s3; certificates: credential keys), define it in this file beside the
# settings it reads and decorate it:
#
#     @production_check
#     def _storage(config):
#         if config["STORAGE_BACKEND"] == "s3" and not config["STORAGE_S3_BUCKET"]:
#             yield "STORAGE_S3_BUCKET is not set: name the bucket files are kept in."
#
# `@production_check` runs only with ELEARN_ENV=production; `@always_check` in every
# environment (keep those for settings that are wrong anywhere, not merely undeveloped).
Check = Callable[[Mapping], Iterable[str] | None]
PRODUCTION_CHECKS: list[Check] = []
ALWAYS_CHECKS: list[Check] = []


def production_check(fn: Check) -> Check:
    PRODUCTION_CHECKS.append(fn)
    return fn


def always_check(fn: Check) -> Check:
    ALWAYS_CHECKS.append(fn)
    return fn


def check(config: Mapping) -> None:
    production = config.get("ENV_NAME") == "production"
    checks = ALWAYS_CHECKS + (PRODUCTION_CHECKS if production else [])
    problems = [problem for fn in checks for problem in (fn(config) or ())]
    if not problems:
        return
    where = " with ELEARN_ENV=production" if production else ""
    lines = "\n".join(f"  - {problem}" for problem in problems)
    raise ConfigError(f"Refusing to start{where}: {len(problems)} setting(s) to fix (see the "
                      f"Configuration table in README.md):\n{lines}")


MIN_SECRET_KEY_BYTES = 32
NEW_KEY = "python -c 'import secrets; print(secrets.token_hex(32))'"


@always_check
def _secret_key_present(config):
    if not config.get("SECRET_KEY"):
        # An empty key signs nothing: every session and emailed link would be forgeable.
        yield f"SECRET_KEY is empty: set SECRET_KEY to a long random value ({NEW_KEY})."


@always_check
def _log_format(config):
    if config.get("LOG_FORMAT") not in ("json", "text"):
        yield "LOG_FORMAT must be json or text."


@production_check
def _secret_key_strong(config):
    key = config.get("SECRET_KEY") or ""
    if not key:
        return  # said by _secret_key_present
    if key == DEV_SECRET_KEY:
        yield f"SECRET_KEY is the development key: set SECRET_KEY to a long random value " \
              f"({NEW_KEY})."
    elif len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        yield f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes: set SECRET_KEY to at " \
              f"least {MIN_SECRET_KEY_BYTES} bytes of random data ({NEW_KEY})."


@production_check
def _database(config):
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not url.startswith("postgresql"):
        # SQLite is one file on one host: a second app host would have its own database.
        yield "DATABASE_URL is not PostgreSQL: set DATABASE_URL to " \
              "postgresql+psycopg://user:password@host:5432/dbname."


@production_check
def _base_url(config):
    if not (config.get("BASE_URL") or "").startswith("https://"):
        # Links in emails and QR codes outlive the request: they cannot follow a Host header.
        yield "BASE_URL is not an https:// address: set BASE_URL to the https:// address " \
              "people reach the app at (e.g. https://elearn.example.org)."


@production_check
def _redis(config):
    if not config.get("REDIS_URL"):
        # Without it rate limits count per process and mail and bulk work run in the web
        # process instead of the worker.
        yield "REDIS_URL is not set: set REDIS_URL to the Redis server for rate limits and " \
              "background jobs (e.g. redis://127.0.0.1:6379/0)."


@production_check
def _mail(config):
    if not config.get("MAIL_SERVER"):
        yield "MAIL_SERVER is not set: set MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, " \
              "MAIL_PASSWORD, MAIL_USE_TLS as your SMTP relay needs) so that mail leaves the " \
              "outbox."
    if config.get("MAIL_DEFAULT_SENDER") in (None, "", DEV_MAIL_SENDER):
        yield "MAIL_DEFAULT_SENDER is not set: set MAIL_DEFAULT_SENDER to the address mail " \
              "comes from (e.g. elearn@example.org)."


@always_check
def _storage_settings(config):
    # A wrong STORAGE_* setting is wrong anywhere: named at start-up, not at the first upload.
    from elearn.storage import check_settings

    return check_settings(config)



# Open Badges are signed with the newest key file in CREDENTIAL_KEYS_DIR (outside the database).
CREDENTIAL_KEY_SUFFIX = ".pem"


def credential_key_problems(config):
    """What keeps Open Badges from being signed in production. Not a start-up check, because
    `flask elearn credential-keys generate` must start to make the first key: /readyz reports
    it instead (core/health.py), and badges answer 503 until a key exists."""
    if config.get("ENV_NAME") != "production":
        return
    directory = config.get("CREDENTIAL_KEYS_DIR") or ""
    if not directory:
        yield "CREDENTIAL_KEYS_DIR is unset: set it to a directory outside the database."
        return
    names = os.listdir(directory) if os.path.isdir(directory) else []
    if not any(name.endswith(CREDENTIAL_KEY_SUFFIX) for name in names):
        yield (f"CREDENTIAL_KEYS_DIR ({directory}) holds no signing key: set it to the "
               "directory of your keys, or run `flask elearn credential-keys generate` to make "
               "one, so Open Badges can be signed.")


def fallback_font_warning(config: Mapping) -> str | None:
    """Not a refusal: without fallback fonts every PDF still prints Latin, Greek, Cyrillic,
    Arabic and Hebrew names, but names in other scripts print as empty boxes."""
    from elearn import pdf_fonts

    dirs = pdf_fonts.parse_dirs(config.get("PDF_FALLBACK_FONT_DIRS"))
    if pdf_fonts.font_files(dirs):
        return None
    return ("PDF_FALLBACK_FONT_DIRS: no TrueType font found in " + (", ".join(dirs) or "(none)")
            + ": names in Chinese, Japanese, Korean, Devanagari, Thai... will print as empty "
            "boxes on certificates and tickets. Install Debian's fonts-noto-core "
            "fonts-droid-fallback fonts-nanum, or point the variable at a font directory.")
