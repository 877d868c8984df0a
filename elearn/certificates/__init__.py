"""Certificates: templates, issuing rules per kind, PDF rendering, verification, revocation."""
