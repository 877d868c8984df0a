"""stats: published statistics pages (programme overview, programmes, course editions)

Revision ID: h12_publish
Revises: h11_certificates
Create Date: 2026-12-06 22:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h12_publish'
down_revision = 'h11_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stats_publication',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=12), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['published_by_id'], ['user.id'],
                                name=op.f('fk_stats_publication_published_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_publication')),
        sa.UniqueConstraint('scope', 'object_id',
                            name=op.f('uq_stats_publication_scope_object_id')),
    )


def downgrade():
    op.drop_table('stats_publication')
