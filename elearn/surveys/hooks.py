"""Attaches the standard evaluation survey to new events and editions."""
