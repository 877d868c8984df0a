"""The hackathon: an Event with teams, invitations, submissions, judging and results."""
