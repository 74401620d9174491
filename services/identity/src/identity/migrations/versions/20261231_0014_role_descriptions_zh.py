"""roles.description_zh: a role is described in Chinese as well as English, like its name

The built-in roles already in a database get their Chinese description here, where they have none yet (new
databases get it when the service adds its built-in roles).

Revision ID: 20261231_0014
Revises: 20261221_0013
Create Date: 2026-12-31
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261231_0014"
down_revision: str | None = "20261221_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as identity.roles.builtin says them at this revision (a migration never follows later edits of the code)
BUILTIN_DESCRIPTIONS_ZH = {
    "admin": "维护系统与用户，可查看全部数据。",
    "sales_manager": "查看并管理整个团队的客户与商机进展，审批折扣。",
    "sales_rep": "只能查看和编辑自己负责的客户、线索与商机。",
    "marketing": "负责本部门的市场活动：预算（须上级经理审批）、活动成员、模板、营销许可与发送；可查看客户及市场反馈。",
    "marketing_manager": "领导下级市场部门，管理其市场活动，审批下属提交的预算。",
    "service_agent": "处理本团队及本部门的工单；可查看客户信息、SLA 策略与工作日历；撰写知识库文章草稿。",
    "service_manager": "领导下级服务团队：管理工单、团队与分配规则、SLA 策略与工作日历；审核投诉；维护快捷回复并发布知识库文章。",
}


def upgrade() -> None:
    op.add_column(
        "roles",
        sa.Column("description_zh", sqlmodel.sql.sqltypes.AutoString(length=500), server_default="", nullable=False),
    )
    fill = sa.text("UPDATE roles SET description_zh = :text WHERE key = :key AND builtin AND description_zh = ''")
    for key, text in BUILTIN_DESCRIPTIONS_ZH.items():
        op.execute(fill.bindparams(key=key, text=text))


def downgrade() -> None:
    op.drop_column("roles", "description_zh")
