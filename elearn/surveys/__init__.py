"""Evaluation surveys: one per event, edition and hackathon, sent to the people who attended.
Importing the package registers its data download and erasure (privacy) with accounts."""

from . import privacy  # noqa: F401
