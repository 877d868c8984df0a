"""prepared downloads: exports built by a job and kept for their owner until they expire

Revision ID: h15_downloads
Revises: h14_editions
Create Date: 2026-12-07 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h15_downloads'
down_revision = 'h14_editions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'prepared_download',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('parameters', sa.JSON(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=120), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('back_path', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'],
                                name=op.f('fk_prepared_download_owner_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prepared_download')),
    )
    op.create_index('ix_prepared_download_owner', 'prepared_download',
                    ['owner_id', 'created_at'])
    op.create_index('ix_prepared_download_status', 'prepared_download',
                    ['status', 'expires_at'])


def downgrade():
    op.drop_index('ix_prepared_download_status', table_name='prepared_download')
    op.drop_index('ix_prepared_download_owner', table_name='prepared_download')
    op.drop_table('prepared_download')
