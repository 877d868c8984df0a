"""Certificates: templates, issuing rules per kind, PDF rendering, verification, revocation.

Importing any part of the domain registers its rights (rules) with accounts.permissions and its
part of a person's data download and erasure (privacy) with accounts.services."""

from . import privacy, rules  # noqa: F401
