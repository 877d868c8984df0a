"""accounts hardening: server-side login sessions; global organisers become programme managers

Revision ID: h11_accounts
Revises: 6669fe2c1d39
Create Date: 2026-12-06 21:10:00

Until now the global organiser role managed every event and edition. It now means an event
organiser, who manages only the events they organise; the Secretariat's rights over everything
belong to the programme manager role. So every existing organiser becomes a programme manager,
and an install keeps working as before after the upgrade. Downgrade turns them back.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h11_accounts'
down_revision = '6669fe2c1d39'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)

    # Organisers who are already programme managers keep one row; the others change role.
    op.execute("DELETE FROM user_role WHERE role = 'organiser' AND user_id IN "
               "(SELECT user_id FROM user_role WHERE role = 'programme_manager')")
    op.execute("UPDATE user_role SET role = 'programme_manager' WHERE role = 'organiser'")


def downgrade():
    op.execute("DELETE FROM user_role WHERE role = 'organiser' AND user_id IN "
               "(SELECT user_id FROM user_role WHERE role = 'programme_manager')")
    op.execute("UPDATE user_role SET role = 'organiser' WHERE role = 'programme_manager'")
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_user_id'))

    op.drop_table('login_session')
