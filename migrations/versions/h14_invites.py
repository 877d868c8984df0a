"""events: the answer a person gave through their invitation's attend/decline links

Revision ID: h14_invites
Revises: h12_publish
Create Date: 2026-12-07 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h14_invites'
down_revision = 'h12_publish'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('replied_at')
        batch_op.drop_column('reply')
