from flask_wtf import FlaskForm


class AgainForm(FlaskForm):
    """"Prepare it again": nothing to fill in, the CSRF token is the point."""
