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
        "service_account_exists": {
            "en": "A service account with this name already exists",
            "zh-CN": "该名称的服务账号已存在",
        },
        "role_key": {
            "en": "Field '{field}': 2 to 64 lowercase letters, digits or _, starting with a letter",
            "zh-CN": "字段“{field}”须为 2 到 64 个小写字母、数字或下划线，并以字母开头",
        },
        "unmaskable_field": {
            "en": "Field '{field}': {name} is not a field a role can mask",
            "zh-CN": "字段“{field}”：{name} 不是可脱敏的字段",
        },
        # nobody grants more than they hold (roles/coverage.py)
        "permission_not_held": {
            "en": "Field '{field}': you may only grant permissions you hold yourself ({permission})",
            "zh-CN": "字段“{field}”：只能授予您自己拥有的权限（{permission}）",
        },
        "scope_wider_than_own": {
            "en": "Field '{field}': the data scope of {resource} may be no wider than your own ({scope})",
            "zh-CN": "字段“{field}”：{resource} 的数据范围不能大于您自己的范围（{scope}）",
        },
        "mask_not_kept": {
            "en": "Field '{field}': {name} is masked to you, so what you grant must mask it too",
            "zh-CN": "字段“{field}”：{name} 对您是脱敏显示的，您授予的权限也须将其脱敏",
        },
        "role_not_held": {
            "en": "You may only grant or withdraw roles whose permissions you hold yourself",
            "zh-CN": "只能授予或收回您自己拥有其全部权限的角色",
        },
        "role_change_not_held": {
            "en": "You may only change what a role grants if you hold all it grants yourself",
            "zh-CN": "只有您自己拥有某角色的全部权限时，才能修改该角色的授权",
        },
        "service_account_not_held": {
            "en": "You may only create keys for a service account whose permissions you hold yourself",
            "zh-CN": "只能为您自己拥有其全部权限的服务账号创建密钥",
        },
        "email_of_user_not_held": {
            "en": "You may only change the email of a user whose permissions you hold yourself",
            "zh-CN": "只能修改您自己拥有其全部权限的用户的邮箱",
        },
        "unit_out_of_scope": {
            "en": "Field '{field}': this unit is outside your scope",
            "zh-CN": "字段“{field}”：不在您的权限范围内的部门",
        },
        "unit_required_in_scope": {
            "en": "Field '{field}' is required: name a unit within your scope",
            "zh-CN": "字段“{field}”为必填：请指定您权限范围内的部门",
        },
        "last_admin": {
            "en": "The system needs at least one active administrator",
            "zh-CN": "系统至少需要一名在职的系统管理员",
        },
        "password_unchanged": {
            "en": "The new password must differ from the current one",
            "zh-CN": "新密码不能与当前密码相同",
        },
    }
)
