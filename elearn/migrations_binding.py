"""Flask-Migrate, bound without importing it: importing flask_migrate loads Alembic, Mako and
Pygments (about 11 MB in every web worker, bench/memory.py), which only `flask db`, the test
suite and `/readyz`'s head check could use — and the head check reads the scripts itself
(core/health.py). The real Migrate is built the first time a `flask db` command or
`app.extensions["migrate"]` is used."""

import click


class _LazyMigrateConfig:
    """Stands in app.extensions["migrate"]; becomes Flask-Migrate's _MigrateConfig on use."""

    def __init__(self, db, directory: str, options: dict):
        self.db = db
        self.directory = directory
        self._options = options
        self._real = None

    def _load(self):
        if self._real is None:
            from flask_migrate import Migrate

            class _Holder:  # init_app's app: only its extensions and CLI are touched
                extensions: dict = {}

                class cli:  # noqa: N801 - mimics Flask's app.cli
                    @staticmethod
                    def add_command(*args, **kwargs):
                        pass

            holder = _Holder()
            holder.extensions = {}
            Migrate().init_app(holder, self.db, directory=self.directory, **self._options)
            self._real = holder.extensions["migrate"]
        return self._real

    def __getattr__(self, name):
        return getattr(self._load(), name)


class _LazyDbGroup(click.Group):
    """`flask db ...`: Flask-Migrate's command group, imported when a command is asked for."""

    def _real(self) -> click.Group:
        from flask_migrate.cli import db

        return db

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real().get_command(ctx, name)

    def make_context(self, info_name, args, parent=None, **extra):
        # The context belongs to the real group: click then runs its options (--directory)
        # and callback, and its subcommands, as if it had been registered itself.
        return self._real().make_context(info_name, args, parent=parent, **extra)


def bind_migrations(app, db, directory: str, **options) -> None:
    app.extensions["migrate"] = _LazyMigrateConfig(db, directory, options)
    app.cli.add_command(_LazyDbGroup("db", help="Perform database migrations."))
