"""survey results: the answers' response index also covers question, option and number, so
the results' tallies read each response's answers from the index alone (issue 16, point 6)

Revision ID: h16_answer_index
Revises: h17_outputs
Create Date: 2026-12-08 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h16_answer_index'
down_revision = 'h17_outputs'
branch_labels = None
depends_on = None

COLUMNS = ['response_id', 'question_id', 'option_id', 'number']


def upgrade():
    # The new index starts with response_id: it replaces the single-column one (same
    # lookups for the foreign key's cascades), so answers still keep three indexes.
    with op.batch_alter_table('form_answer', schema=None) as batch_op:
        batch_op.create_index('ix_form_answer_response', COLUMNS, unique=False)
        batch_op.drop_index('ix_form_answer_response_id')


def downgrade():
    with op.batch_alter_table('form_answer', schema=None) as batch_op:
        batch_op.create_index('ix_form_answer_response_id', ['response_id'], unique=False)
        batch_op.drop_index('ix_form_answer_response')
