"""stored results of the disclosure audit, shared by every worker and kept over restarts
(issue 17, point 6; issue 20)

Revision ID: h20_disclosure_cache
Revises: h18_perlanguage
Create Date: 2026-12-08 07:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'h20_disclosure_cache'
down_revision = 'h18_perlanguage'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'disclosure_cache',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('hidden', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_disclosure_cache')),
    )
    with op.batch_alter_table('disclosure_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_cache_created_at'), ['created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('disclosure_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disclosure_cache_created_at'))
    op.drop_table('disclosure_cache')
