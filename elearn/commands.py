"""The `flask elearn ...` command group. Each domain's `<domain>/cli.py` adds its commands to it;
it lives at the bottom so domains import it without importing `elearn.cli`, which imports them.
"""

from flask.cli import AppGroup

elearn_cli = AppGroup("elearn", help="elearn administration commands.")
