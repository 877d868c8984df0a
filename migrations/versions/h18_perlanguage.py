"""language per person (issue 18.3): messages to registrants written in several languages;
certificates issued in a chosen language or bilingual

Revision ID: h18_perlanguage
Revises: h16_answer_index
Create Date: 2026-12-08 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h18_perlanguage'
down_revision = 'h16_answer_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'registrant_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('main_language', sa.String(length=5), nullable=False),
        sa.Column('versions', sa.JSON(), nullable=False),
        sa.Column('statuses', sa.JSON(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.Column('sent_versions', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE',
                                name=op.f('fk_registrant_message_event_id_event')),
        sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], ondelete='SET NULL',
                                name=op.f('fk_registrant_message_sent_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registrant_message')),
    )
    with op.batch_alter_table('registrant_message') as batch:
        batch.create_index(batch.f('ix_registrant_message_event_id'), ['event_id'],
                           unique=False)
    with op.batch_alter_table('certificate') as batch:
        batch.add_column(sa.Column('second_language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('certificate_issue_job') as batch:
        batch.add_column(sa.Column('language', sa.String(length=5), nullable=True))
        batch.add_column(sa.Column('second_language', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('certificate_issue_job') as batch:
        batch.drop_column('second_language')
        batch.drop_column('language')
    with op.batch_alter_table('certificate') as batch:
        batch.drop_column('second_language')
    with op.batch_alter_table('registrant_message') as batch:
        batch.drop_index(batch.f('ix_registrant_message_event_id'))
    op.drop_table('registrant_message')
