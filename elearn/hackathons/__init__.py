"""The hackathon: an Event with teams, invitations, submissions, judging and results.

Importing any part of the domain loads all of its tables, its object rules and its privacy
hooks (export and erasure), in that order; each of those modules imports only downward, so no
two modules of the domain import each other."""

from . import models  # noqa: F401,I001  (the hackathon, teams, invitations)
from . import judging_models  # noqa: F401  (submissions and judging)
from . import rules  # noqa: F401  (who may do what)
from . import privacy  # noqa: F401  (export and erasure of a person's data)
