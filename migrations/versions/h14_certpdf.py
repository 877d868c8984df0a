"""certificates: signatories' titles per language, place of issue and seal on templates

Revision ID: h14_certpdf
Revises: h12_publish
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h14_certpdf'
down_revision = 'h14_calfeeds'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_template') as batch:
        batch.add_column(sa.Column('seal_image', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('place', sa.String(length=120), nullable=True))
    with op.batch_alter_table('certificate_signatory') as batch:
        batch.add_column(sa.Column('titles', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate_signatory') as batch:
        batch.drop_column('titles')
    with op.batch_alter_table('certificate_template') as batch:
        batch.drop_column('place')
        batch.drop_column('seal_image')
