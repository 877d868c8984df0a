"""materials and outputs of the programme's activities, events, sessions and editions; the
programme managers' verdict on each activity (issue 17)

Revision ID: h17_outputs
Revises: h14_editions
Create Date: 2026-12-07 07:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'h17_outputs'
down_revision = 'h14_editions'
branch_labels = None
depends_on = None

_ONE = "CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END"
_EXACTLY_ONE_OWNER = " + ".join(
    _ONE.format(c) for c in ("activity_id", "event_id", "session_id", "edition_id")) + " = 1"


def upgrade():
    op.create_table(
        'output',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('edition_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('title_en', sa.String(length=300), nullable=False),
        sa.Column('title_es', sa.String(length=300), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('content_type', sa.String(length=120), nullable=True),
        sa.Column('size_bytes', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=1000), nullable=True),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('visibility', sa.String(length=40), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_EXACTLY_ONE_OWNER, name=op.f('ck_output_exactly_one_owner')),
        sa.CheckConstraint('(stored_name IS NULL) <> (url IS NULL)',
                           name=op.f('ck_output_file_or_link')),
        sa.CheckConstraint("title_en <> '' OR title_es <> ''", name=op.f('ck_output_has_title')),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='CASCADE',
                                name=op.f('fk_output_activity_id_activity')),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE',
                                name=op.f('fk_output_event_id_event')),
        sa.ForeignKeyConstraint(['session_id'], ['event_session.id'], ondelete='CASCADE',
                                name=op.f('fk_output_session_id_event_session')),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], ondelete='CASCADE',
                                name=op.f('fk_output_edition_id_edition')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], ondelete='SET NULL',
                                name=op.f('fk_output_uploaded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_output')),
    )
    with op.batch_alter_table('output') as batch:
        for column in ('activity_id', 'event_id', 'session_id', 'edition_id', 'visibility'):
            batch.create_index(batch.f(f'ix_output_{column}'), [column], unique=False)

    op.create_table(
        'activity_status',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=40), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state <> 'not_delivered' OR (reason IS NOT NULL AND reason <> '')",
                           name=op.f('ck_activity_status_not_delivered_has_reason')),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='CASCADE',
                                name=op.f('fk_activity_status_activity_id_activity')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ondelete='SET NULL',
                                name=op.f('fk_activity_status_decided_by_id_user')),
        sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_activity_status')),
    )


def downgrade():
    op.drop_table('activity_status')
    with op.batch_alter_table('output') as batch:
        for column in ('visibility', 'edition_id', 'session_id', 'event_id', 'activity_id'):
            batch.drop_index(batch.f(f'ix_output_{column}'))
    op.drop_table('output')
