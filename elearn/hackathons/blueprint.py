"""The hackathons domain's URL map (to be listed route by route: issue 19)."""

from .views import bp

blueprints = (bp,)
