"""The wizard: one URL and one form per step."""
from flask import Blueprint

bp = Blueprint("wizard", __name__)

from . import certificate_views, resume, views  # noqa: E402,F401  (routes register on import)
