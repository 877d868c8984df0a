"""Outputs' URLs."""

from flask import Blueprint

bp = Blueprint("outputs", __name__)
blueprints = [bp]
