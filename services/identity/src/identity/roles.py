"""The built-in roles: permissions (`<service>:<resource>:<action>`) and data scope per resource."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RoleSpec:
    key: str
    name_en: str
    name_zh: str
    permissions: tuple[str, ...]
    scopes: dict[str, str] = field(default_factory=dict)


BUILTIN_ROLES = {
    role.key: role
    for role in (
        RoleSpec("admin", "System administrator", "系统管理员", ("*",), {}),
        RoleSpec(
            "sales_manager",
            "Sales manager",
            "销售经理",
            ("identity:user:read", "customer:*", "sales:*"),
            {"customer:account": "subtree", "sales:lead": "subtree", "sales:opportunity": "subtree"},
        ),
        RoleSpec(
            "sales_rep",
            "Sales representative",
            "销售代表",
            ("identity:user:read", "customer:*", "sales:*"),
            {"customer:account": "own", "sales:lead": "own", "sales:opportunity": "own"},
        ),
        RoleSpec(
            "marketing",
            "Marketing",
            "市场营销",
            ("identity:user:read", "customer:account:read", "marketing:*"),
            {"customer:account": "all", "marketing:campaign": "all"},
        ),
        RoleSpec(
            "service_agent",
            "Customer service",
            "客户服务",
            ("identity:user:read", "customer:account:read", "support:*"),
            {"customer:account": "all", "support:ticket": "all"},
        ),
    )
}


def grants(roles: list[str]) -> tuple[list[str], dict[str, str]]:
    """Union of the roles' permissions, and for each resource the widest scope any role gives."""
    order = ["own", "unit", "subtree", "all"]
    permissions: set[str] = set()
    scopes: dict[str, str] = {}
    for key in roles:
        role = BUILTIN_ROLES.get(key)
        if role is None:
            continue
        permissions.update(role.permissions)
        for resource, scope in role.scopes.items():
            if order.index(scope) > order.index(scopes.get(resource, "own")) or resource not in scopes:
                scopes[resource] = scope
    return sorted(permissions), scopes
