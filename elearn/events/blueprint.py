"""The events domain's URL map (to be listed route by route: issue 19)."""

from .calendar_views import bp as calendar
from .organiser_views import bp as organise
from .views import bp as events

blueprints = (events, organise, calendar)
