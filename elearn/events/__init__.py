"""Events domain. Importing it registers its rights (rules) with accounts.permissions and its
data download and erasure (privacy) with accounts.services, whatever part of it is used."""

from . import privacy, rules  # noqa: F401
