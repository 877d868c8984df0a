"""surveys: evaluation surveys, invitations, responses with consented dimensions

Revision ID: h16_surveys
Revises: h16_regq
Create Date: 2026-12-07 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'h16_surveys'
down_revision = 'h16_regq'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('owner_kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_after_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['form.id'], name=op.f('fk_survey_form_id_form'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('owner_kind', 'owner_id', name=op.f('uq_survey_owner_kind_owner_id'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index('ix_survey_status', ['status'], unique=False)

    op.create_table('survey_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_invitation_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_invitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
    sa.UniqueConstraint('survey_id', 'user_id', name=op.f('uq_survey_invitation_survey_id_user_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitation_token_hash'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_user_id'), ['user_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('subregion', sa.String(length=40), nullable=True),
    sa.Column('sector', sa.String(length=40), nullable=True),
    sa.Column('age_band', sa.String(length=10), nullable=True),
    sa.Column('mode', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['form_response.id'], name=op.f('fk_survey_response_id_form_response'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_survey_response_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_user_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_survey_id'))
    op.drop_table('survey_response')
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_user_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_survey_id'))
    op.drop_table('survey_invitation')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_status')
    op.drop_table('survey')
