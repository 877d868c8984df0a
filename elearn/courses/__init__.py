"""Diploma courses: courses, editions (cohorts), modules, lessons, assessments, enrolment,
progress and completion.

Importing any part of the domain registers its rights (rules) with accounts.permissions and its
part of a person's data download and erasure (privacy) with accounts.services."""

from . import privacy, rules  # noqa: F401
