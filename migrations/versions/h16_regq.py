"""events and editions ask registration/application questions: which form, and each
registration's and enrolment's answers

Revision ID: h16_regq
Revises: h16_forms
Create Date: 2026-12-07 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h16_regq'
down_revision = 'h16_forms'
branch_labels = None
depends_on = None

COLUMNS = (
    ('event', 'registration_form_id', sa.Integer(), 'form'),
    ('registration', 'form_response_id', sa.String(length=32), 'form_response'),
    ('edition', 'application_form_id', sa.Integer(), 'form'),
    ('enrolment', 'form_response_id', sa.String(length=32), 'form_response'),
)


def upgrade():
    for table, column, kind, target in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, kind, nullable=True))
            batch_op.create_foreign_key(
                op.f(f'fk_{table}_{column}_{target}'), target, [column], ['id'],
                ondelete='SET NULL')


def downgrade():
    for table, column, _kind, target in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_{column}_{target}'), type_='foreignkey')
            batch_op.drop_column(column)
