"""certificates: bulk jobs carry a heartbeat, certificates the job that issued them (resume)

Revision ID: h11_certificates
Revises: h11_mail
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h11_certificates'
down_revision = 'h11_mail'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate_issue_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issue_job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_certificate_issue_job_id_certificate_issue_job',
                                    'certificate_issue_job', ['issue_job_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint('fk_certificate_issue_job_id_certificate_issue_job',
                                 type_='foreignkey')
        batch_op.drop_column('issue_job_id')
    with op.batch_alter_table('certificate_issue_job', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
