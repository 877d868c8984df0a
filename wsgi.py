from elearn import create_app
from elearn.warm_up import warm_up

app = create_app()
warm_up(app)  # before the first request, not during it
