"""Attendance from every source, for event sessions and course live sessions alike. Importing
it registers its data download and erasure (privacy) with accounts.services."""

from . import privacy  # noqa: F401
