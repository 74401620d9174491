"""The five built-in roles of the requirement documents; administrators may add their own."""

from __future__ import annotations

from identity.roles.models import Role

# what sales roles may do with customers; defining custom fields stays with administrators
CUSTOMER_WORK = [
    "customer:account:*",
    "customer:contact:*",
    "customer:activity:*",
    "customer:task:*",
    "customer:pool:*",
    "customer:custom_field:read",
]
_SALES = (
    "customer:account",
    "customer:contact",
    "customer:activity",
    "customer:task",
    "sales:lead",
    "sales:opportunity",
    "sales:quote",
    "sales:contract",
    "sales:order",
    "sales:invoice",
    "sales:payment",
    "sales:target",
)


def _scopes(resources: tuple[str, ...], scope: str) -> dict[str, str]:
    return dict.fromkeys(resources, scope)


BUILTIN_ROLES: tuple[Role, ...] = (
    Role(
        key="admin",
        name="System administrator",
        name_zh="系统管理员",
        builtin=True,
        permissions=["*"],
        scopes={},
        description="Maintains the system and its users; sees everything.",
    ),
    Role(
        key="sales_manager",
        name="Sales manager",
        name_zh="销售经理",
        builtin=True,
        permissions=[
            "identity:user:read",
            "identity:org_unit:read",
            "identity:role:read",
            *CUSTOMER_WORK,
            "sales:*",
            "marketing:campaign:read",
        ],
        scopes={**_scopes(_SALES, "subtree"), "identity:user": "subtree"},
        description="Sees and manages the whole team's customers and pipeline; approves discounts.",
    ),
    Role(
        key="sales_rep",
        name="Sales representative",
        name_zh="销售代表",
        builtin=True,
        permissions=[
            "identity:user:read",
            "identity:org_unit:read",
            *CUSTOMER_WORK,
            "sales:lead:*",
            "sales:opportunity:*",
            "sales:quote:read",
            "sales:quote:create",
            "sales:quote:update",
            "sales:contract:read",
            "sales:contract:create",
            "sales:contract:update",
            "sales:order:read",
            "sales:order:create",
            "sales:invoice:read",
            "sales:payment:read",
            "sales:product:read",
            "sales:target:read",
            "sales:forecast:read",
        ],
        scopes={**_scopes(_SALES, "own"), "identity:user": "unit"},
        description="Sees and edits only their own customers, leads and opportunities.",
    ),
    Role(
        key="marketing",
        name="Marketing",
        name_zh="市场营销",
        builtin=True,
        permissions=[
            "identity:user:read",
            "customer:account:read",
            "customer:contact:read",
            "marketing:*",
            "sales:lead:read",
            "sales:lead:create",
            "sales:opportunity:read",
        ],
        scopes={
            "customer:account": "all",
            "customer:contact": "all",
            "marketing:campaign": "all",
            "sales:lead": "all",
            "sales:opportunity": "all",
            "identity:user": "all",
        },
        masked_fields=["customer:contact.id_number"],
        description="Runs campaigns; reads customers and the market's response.",
    ),
    Role(
        key="service_agent",
        name="Customer service",
        name_zh="客户服务",
        builtin=True,
        permissions=[
            "identity:user:read",
            "customer:account:read",
            "customer:contact:read",
            "customer:activity:read",
            "customer:activity:create",
            "support:*",
            "sales:order:read",
        ],
        scopes={
            "customer:account": "all",
            "customer:contact": "all",
            "customer:activity": "all",
            "support:ticket": "all",
            "sales:order": "all",
            "identity:user": "all",
        },
        masked_fields=["customer:contact.id_number"],
        description="Handles tickets and after-sales service; reads customer information.",
    ),
)
