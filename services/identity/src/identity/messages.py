"""Identity's user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "invalid_credentials": {"en": "Invalid email or password", "zh-CN": "邮箱或密码错误"},
        "invalid_refresh_token": {
            "en": "The refresh token is invalid, expired or already used; please log in again",
            "zh-CN": "刷新令牌无效、已过期或已被使用，请重新登录",
        },
        "email_taken": {"en": "A user with this email already exists", "zh-CN": "该邮箱已被其他用户使用"},
        "unknown_role": {"en": "Unknown role '{role}'", "zh-CN": "未知角色“{role}”"},
        "entity_user": {"en": "User", "zh-CN": "用户"},
    }
)
