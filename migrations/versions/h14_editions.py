"""course editions: a Spanish name beside the English one

Revision ID: h14_editions
Revises: h14_certpdf
Create Date: 2026-12-07 04:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h14_editions'
down_revision = 'h14_certpdf'
branch_labels = None
depends_on = None


def upgrade():
    # `name` stays the English name (nothing to copy); editions without a Spanish name show
    # the English one.
    with op.batch_alter_table('edition') as batch:
        batch.add_column(sa.Column('name_es', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('edition') as batch:
        batch.drop_column('name_es')
