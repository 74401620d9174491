"""User-facing messages in zh-CN and en, chosen by `Accept-Language`."""

from contextvars import ContextVar

SUPPORTED = ("zh-CN", "en")
_locale: ContextVar[str] = ContextVar("locale", default="en")

MESSAGES: dict[str, dict[str, str]] = {
    "unauthenticated": {"en": "Authentication required", "zh-CN": "需要登录"},
    "invalid_token": {"en": "The access token is invalid or expired", "zh-CN": "访问令牌无效或已过期"},
    "forbidden": {"en": "You do not have permission to do this", "zh-CN": "您没有执行此操作的权限"},
    "token_revoked": {
        "en": "This access token no longer reflects your account; sign in again",
        "zh-CN": "账号状态或权限已变更，访问令牌已失效，请重新登录",
    },
    "outside_rule_scope": {
        "en": "You may only change this for your own unit and the units below it",
        "zh-CN": "您只能为本部门及其下级部门设置此项",
    },
    "company_wide": {
        "en": "This applies to the whole company; only an administrator may change it",
        "zh-CN": "此项适用于全公司，仅管理员可以修改",
    },
    "own_approval": {
        "en": "Whoever owns, created or submitted it cannot approve or reject it",
        "zh-CN": "负责人、创建人或提交人不能审批自己的事项",
    },
    "unassignable_user": {
        "en": "Field '{field}': no such active user within your scope",
        "zh-CN": "字段“{field}”：用户不存在、已停用或不在您的权限范围内",
    },
    "not_found": {"en": "{entity} not found", "zh-CN": "未找到{entity}"},
    "conflict": {"en": "{detail}", "zh-CN": "{detail}"},
    "invalid_field": {
        "en": "Invalid value for field '{field}': {reason}",
        "zh-CN": "字段“{field}”的值无效：{reason}",
    },
    "required_field": {"en": "Field '{field}' is required", "zh-CN": "字段“{field}”为必填项"},
    "internal": {"en": "Internal server error", "zh-CN": "服务器内部错误"},
    "unavailable": {
        "en": "The service is briefly unavailable; try again shortly",
        "zh-CN": "服务暂时不可用，请稍后重试",
    },
    "too_many_requests": {"en": "Too many requests; try again later", "zh-CN": "请求过于频繁，请稍后再试"},
    "unknown_account": {
        "en": "No such account, or it is not yours to sell to",
        "zh-CN": "客户不存在或不在您的权限范围内",
    },
    "idempotency_mismatch": {
        "en": "This Idempotency-Key was already used for a different request",
        "zh-CN": "该 Idempotency-Key 已用于另一个不同的请求",
    },
    "idempotency_in_progress": {
        "en": "A request with this Idempotency-Key is still being processed",
        "zh-CN": "使用该 Idempotency-Key 的请求仍在处理中",
    },
}


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN or en from an Accept-Language header (first supported language wins)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in SUPPORTED else "en")


def current_locale() -> str:
    return _locale.get()


def register(messages: dict[str, dict[str, str]]) -> None:
    """Let a service add its own message catalogue."""
    MESSAGES.update(messages)


def translate(key: str, locale: str | None = None, **params: object) -> str:
    catalogue = MESSAGES.get(key, {"en": key})
    text = catalogue.get(locale or current_locale()) or catalogue["en"]
    return text.format(**params)
