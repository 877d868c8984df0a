"""Evaluation surveys: one per event, edition and hackathon, sent to the people who attended."""
