"""built calendar files (event files, personal feeds) kept at their version for every worker
(issue 20)

Revision ID: h20_calendar_cache
Revises: h20_disclosure_cache
Create Date: 2026-12-07 10:40:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'h20_calendar_cache'
down_revision = 'h20_disclosure_cache'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_file_cache',
        sa.Column('owner', sa.String(length=80), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('stored_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('owner', name=op.f('pk_calendar_file_cache')),
    )
    with op.batch_alter_table('calendar_file_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_file_cache_stored_at'), ['stored_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('calendar_file_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_file_cache_stored_at'))
    op.drop_table('calendar_file_cache')
