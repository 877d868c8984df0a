"""The accounts domain's URL map (to be listed route by route: issue 19)."""

from .admin_views import bp as admin
from .views import bp as accounts

blueprints = (accounts, admin)
