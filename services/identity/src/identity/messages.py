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
        "role_exists": {"en": "A role with this key already exists", "zh-CN": "该角色标识已存在"},
        "unknown_permission": {"en": "Unknown permission '{permission}'", "zh-CN": "未知权限“{permission}”"},
        "unknown_resource": {"en": "Unknown resource '{resource}'", "zh-CN": "未知资源“{resource}”"},
        "data_scope": {
            "en": "Field '{field}': the data scope of {resource} must be one of: {choices}",
            "zh-CN": "字段“{field}”：{resource} 的数据范围须为以下之一：{choices}",
        },
        "builtin_admin_fixed": {
            "en": "The administrator role cannot be changed",
            "zh-CN": "系统管理员角色不可修改",
        },
        "unknown_unit": {"en": "No such organisation unit", "zh-CN": "组织单元不存在"},
        "unknown_user": {"en": "No such user", "zh-CN": "用户不存在"},
        "unit_cycle": {
            "en": "A unit cannot be moved below itself",
            "zh-CN": "组织单元不能移动到其自身下级",
        },
        "unit_parent_required": {
            "en": "Field '{field}' is required: the company is the one root of the organisation tree",
            "zh-CN": "字段“{field}”为必填：公司是组织架构唯一的根",
        },
        "unit_not_empty": {
            "en": "Only a unit without sub-units and members can be deleted",
            "zh-CN": "只能删除没有下级单元和成员的组织单元",
        },
        "cannot_deactivate_self": {"en": "You cannot deactivate yourself", "zh-CN": "不能停用自己的账号"},
        "password_length": {
            "en": "The password must have at least {min} characters",
            "zh-CN": "密码至少需要 {min} 个字符",
        },
        "password_mix": {
            "en": "The password must contain letters and at least one digit or symbol",
            "zh-CN": "密码必须包含字母以及至少一个数字或符号",
        },
        "account_locked": {
            "en": "Too many failed sign-ins; try again in {minutes} minutes",
            "zh-CN": "登录失败次数过多，请在 {minutes} 分钟后重试",
        },
        "sign_ins_under_way": {
            "en": "Many sign-ins are under way from this address; try again in a moment",
            "zh-CN": "此地址正在进行的登录较多，请稍后重试",
        },
        "too_many_attempts": {
            "en": "Too many attempts; try again in {minutes} minutes",
            "zh-CN": "尝试次数过多，请在 {minutes} 分钟后重试",
        },
        "wrong_password": {"en": "The current password is wrong", "zh-CN": "当前密码不正确"},
        "invalid_reset_token": {
            "en": "The reset link is invalid, expired or already used",
            "zh-CN": "重置链接无效、已过期或已被使用",
        },
        "totp_required": {
            "en": "Enter the code from your authenticator app",
            "zh-CN": "请输入身份验证器中的验证码",
        },
        "totp_invalid": {"en": "The verification code is wrong", "zh-CN": "验证码不正确"},
        "totp_enabled": {"en": "Two-factor sign-in is already on", "zh-CN": "双因素登录已开启"},
        "totp_not_enrolled": {"en": "Two-factor sign-in is not set up", "zh-CN": "尚未设置双因素登录"},
        "invalid_api_key": {"en": "The API key is invalid or revoked", "zh-CN": "API 密钥无效或已吊销"},
        "current_signing_key": {
            "en": "The current signing key cannot be retired; rotate first",
            "zh-CN": "不能停用当前签名密钥，请先轮换",
        },
        "password_common": {
            "en": "This password is too easy to guess",
            "zh-CN": "该密码过于简单，容易被猜到",
        },
        "unknown_topic": {
            "en": "Field '{field}' names no topic of the suite",
            "zh-CN": "字段“{field}”不是本系统的事件主题",
        },
        "unknown_dead_letter": {
            "en": "Field '{field}': no dead letter of this topic has the id '{event_id}'",
            "zh-CN": "字段“{field}”：该主题没有编号为“{event_id}”的死信",
        },
        "service_account_inactive": {
            "en": "The service account is deactivated",
            "zh-CN": "该服务账号已停用",
        },
    }
)
