"""The built-in roles of the requirement documents; administrators may add their own."""

from __future__ import annotations

from typing import Any

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
_MARKETING = (
    "customer:account",
    "customer:contact",
    "marketing:campaign",
    "marketing:segment",
    "sales:lead",
    "sales:opportunity",
)
_SERVICE = ("customer:account", "customer:contact", "customer:activity", "sales:order")
# what service staff may do with customers: read them and log what was done for them
SERVICE_CUSTOMERS = [
    "customer:account:read",
    "customer:contact:read",
    "customer:activity:read",
    "customer:activity:create",
]


# everyone reads and marks their own notifications and chooses how they get them
OWN_NOTIFICATIONS = ["automation:notification:read", "automation:notification:update"]
# those who talk with customers: click-to-call and their call log, their email logging address
CONNECTED = ["automation:call:read", "automation:call:create", "automation:call:update", "automation:mail:read"]


def _scopes(resources: tuple[str, ...], scope: str) -> dict[str, str]:
    return dict.fromkeys(resources, scope)


def _actions(resource: str, *actions: str) -> list[str]:
    """The permissions for the listed actions on one resource, so a role reads as what it may do."""
    return [f"{resource}:{action}" for action in actions]


def _builtin(
    key: str, names: tuple[str, str], descriptions: tuple[str, str], permissions: list[str], **rest: Any
) -> Role:
    """A role of the requirement documents, named and described in English and Chinese: every one is built-in."""
    (name, name_zh), (description, description_zh) = names, descriptions
    return Role(
        key=key,
        name=name,
        name_zh=name_zh,
        description=description,
        description_zh=description_zh,
        builtin=True,
        permissions=permissions,
        **rest,
    )


# marketing staff's work; deciding budgets stays with the managers above them
MARKETING_WORK = [
    *_actions("identity", "user:read"),
    *_actions("customer", "account:read", "contact:read"),
    *_actions("marketing:campaign", "read", "create", "update", "delete", "send"),
    *_actions("marketing", "template:*", "consent:*", "segment:*", "intelligence:*", "material:*", "journey:*"),
    *_actions("sales", "lead:read", "lead:create", "opportunity:read"),
    *OWN_NOTIFICATIONS,
]

BUILTIN_ROLES: tuple[Role, ...] = (
    _builtin(
        "admin",
        ("System administrator", "系统管理员"),
        ("Maintains the system and its users; sees everything.", "维护系统与用户，可查看全部数据。"),
        ["*"],
        scopes={},
    ),
    _builtin(
        "sales_manager",
        ("Sales manager", "销售经理"),
        (
            "Sees and manages the whole team's customers and pipeline; approves discounts.",
            "查看并管理整个团队的客户与商机进展，审批折扣。",
        ),
        [
            *_actions("identity", "user:read", "org_unit:read", "role:read"),
            *CUSTOMER_WORK,
            *_actions("sales", "*"),
            *_actions("marketing", "campaign:read", "intelligence:read"),
            *OWN_NOTIFICATIONS,
            *CONNECTED,
        ],
        # rules and pipelines of their own units; company-wide ones and list prices stay with administrators
        scopes={**_scopes((*_SALES, "sales:lead_rule", "sales:pipeline"), "subtree"), "identity:user": "subtree"},
    ),
    _builtin(
        "sales_rep",
        ("Sales representative", "销售代表"),
        (
            "Sees and edits only their own customers, leads and opportunities.",
            "只能查看和编辑自己负责的客户、线索与商机。",
        ),
        [
            *_actions("identity", "user:read", "org_unit:read"),
            *CUSTOMER_WORK,
            *_actions("sales", "lead:*", "opportunity:*"),
            *_actions("sales:quote", "read", "create", "update"),
            *_actions("sales:contract", "read", "create", "update"),
            *_actions("sales:order", "read", "create"),
            *_actions("sales", "invoice:read", "payment:read", "product:read", "target:read", "forecast:read"),
            *_actions("marketing", "intelligence:read"),  # competitors and intelligence, for their deals
            *OWN_NOTIFICATIONS,
            *CONNECTED,
        ],
        scopes={**_scopes(_SALES, "own"), "identity:user": "unit"},
    ),
    _builtin(
        "marketing",
        ("Marketing", "市场营销"),
        (
            "Runs the campaigns of their unit: budgets (approved by a manager above them), members, templates, "
            "consent and sending; reads customers and the market's response.",
            "负责本部门的市场活动：预算（须上级经理审批）、活动成员、模板、营销许可与发送；可查看客户及市场反馈。",
        ),
        MARKETING_WORK,
        scopes={**_scopes((*_MARKETING, "identity:user"), "all"), "marketing:campaign": "unit"},
        masked_fields=["customer:contact.id_number"],
    ),
    _builtin(
        "marketing_manager",
        ("Marketing manager", "市场经理"),
        (
            "Leads the marketing units below them: their campaigns, and approves the budgets their staff submit.",
            "领导下级市场部门，管理其市场活动，审批下属提交的预算。",
        ),
        [*MARKETING_WORK, "identity:org_unit:read"],
        scopes={**_scopes((*_MARKETING, "identity:user"), "all"), "marketing:campaign": "subtree"},
        masked_fields=["customer:contact.id_number"],
    ),
    _builtin(
        "service_agent",
        ("Customer service", "客户服务"),
        (
            "Works on the tickets of their team and unit; reads customer information, SLA policies and calendars; "
            "drafts knowledge-base articles.",
            "处理本团队及本部门的工单；可查看客户信息、SLA 策略与工作日历；撰写知识库文章草稿。",
        ),
        [
            *_actions("identity", "user:read"),
            *SERVICE_CUSTOMERS,
            *_actions("support:ticket", "read", "create", "update", "assign"),
            *_actions(
                "support", "sla_policy:read", "calendar:read", "team:read", "macro:read", "survey:read", "shift:read"
            ),
            *_actions("support:article", "read", "create", "update"),  # they draft; service managers publish
            *_actions("sales", "order:read"),
            *OWN_NOTIFICATIONS,
            *CONNECTED,
        ],
        scopes={**_scopes((*_SERVICE, "identity:user"), "all"), "support:ticket": "unit", "support:article": "own"},
        masked_fields=["customer:contact.id_number"],
    ),
    _builtin(
        "service_manager",
        ("Service manager", "服务经理"),
        (
            "Leads the service teams below them: tickets, teams and routing, SLA policies and calendars; "
            "reviews complaints; keeps canned responses and publishes knowledge-base articles.",
            "领导下级服务团队：管理工单、团队与分配规则、SLA 策略与工作日历；审核投诉；维护快捷回复并发布知识库文章。",
        ),
        [
            *_actions("identity", "user:read", "org_unit:read"),
            *SERVICE_CUSTOMERS,
            *_actions("support", "*"),
            *_actions("sales", "order:read"),
            *OWN_NOTIFICATIONS,
            *CONNECTED,
        ],
        # calendars and SLA policies are the service organisation's, company-wide
        scopes={
            **_scopes((*_SERVICE, "support:sla_policy", "support:calendar"), "all"),
            **_scopes(("support:ticket", "support:team", "support:article", "identity:user"), "subtree"),
        },
        masked_fields=["customer:contact.id_number"],
    ),
)
