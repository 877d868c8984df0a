"""events: updated_at on events, sessions and registrations (calendar Last-Modified)

Revision ID: h14_calfeeds
Revises: h12_publish
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h14_calfeeds'
down_revision = 'h14_invites'
branch_labels = None
depends_on = None

TABLES = ('event', 'event_session', 'registration')


def upgrade():
    # Existing rows get the migration time: clients refetch once, which is harmless.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('updated_at', sa.DateTime(timezone=True),
                                       nullable=False, server_default=sa.func.now()))
        with op.batch_alter_table(table) as batch:
            batch.alter_column('updated_at', server_default=None)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('updated_at')
