"""URLs of the surveys domain: URL → view, nothing else."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

blueprints = [bp]
