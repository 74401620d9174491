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
    "assignee_cannot_read": {
        "en": "Field '{field}': this user's roles do not let them see these records; give them a role that does",
        "zh-CN": "字段“{field}”：该用户的角色无权查看此类记录，请先为其分配相应角色",
    },
    "not_found": {"en": "{entity} not found", "zh-CN": "未找到{entity}"},
    "conflict": {"en": "{detail}", "zh-CN": "{detail}"},
    "invalid_field": {
        "en": "Invalid value for field '{field}': {reason}",
        "zh-CN": "字段“{field}”的值无效：{reason}",
    },
    "required_field": {"en": "Field '{field}' is required", "zh-CN": "字段“{field}”为必填项"},
    "control_characters": {
        "en": "Field '{field}' contains control characters (such as U+0000) or line breaks where none are allowed",
        "zh-CN": "字段“{field}”包含控制字符（如 U+0000）或不允许的换行",
    },
    "direction_controls": {
        "en": "Field '{field}' contains characters that change the direction text is shown in (U+202A-U+202E, "
        "U+2066-U+2069)",
        "zh-CN": "字段“{field}”包含改变文字显示方向的控制字符（U+202A–U+202E、U+2066–U+2069）",
    },
    "format_characters": {
        "en": "Field '{field}' contains characters that show nothing (such as U+200B zero width space or U+00AD soft "
        "hyphen)",
        "zh-CN": "字段“{field}”包含不显示的格式字符（如 U+200B 零宽空格、U+00AD 软连字符）",
    },
    "masked_lookup": {
        "en": "Field '{field}' is masked for you: records cannot be looked up by it",
        "zh-CN": "字段“{field}”对您脱敏显示，不能按其查找记录",
    },
    "invisible_text": {
        "en": "Field '{field}' must contain visible characters",
        "zh-CN": "字段“{field}”必须包含可见字符",
    },
    "too_long": {
        "en": "Field '{field}' is too long: at most {maximum} characters",
        "zh-CN": "字段“{field}”过长：最多 {maximum} 个字符",
    },
    "too_deep": {
        "en": "Field '{field}' is nested too deeply: at most {maximum} levels",
        "zh-CN": "字段“{field}”嵌套过深：最多 {maximum} 层",
    },
    "too_many_items": {
        "en": "Field '{field}' has too many entries: at most {maximum}",
        "zh-CN": "字段“{field}”的条目过多：最多 {maximum} 个",
    },
    "invalid_link": {
        "en": "Field '{field}' must be an http or https address",
        "zh-CN": "字段“{field}”须为 http 或 https 地址",
    },
    "invalid_phone": {
        "en": "Field '{field}' is not a phone number: 7 to 15 digits",
        "zh-CN": "字段“{field}”不是有效的电话号码：应为 7 到 15 位数字",
    },
    "invalid_id_number": {
        "en": "Field '{field}' is not a valid resident ID number (18 characters, check digit per GB 11643)",
        "zh-CN": "字段“{field}”不是有效的居民身份证号（18 位，校验码须符合 GB 11643）",
    },
    "malformed_id": {
        "en": "Field '{field}' is not a valid ID (a UUID)",
        "zh-CN": "字段“{field}”不是有效的 ID（应为 UUID）",
    },
    "malformed_cursor": {
        "en": "Field '{field}' is not a cursor this list gave out",
        "zh-CN": "字段“{field}”不是本列表返回的有效游标",
    },
    "invalid_date": {
        "en": "Field '{field}' is not a real date (YYYY-MM-DD)",
        "zh-CN": "字段“{field}”不是有效日期（YYYY-MM-DD）",
    },
    "not_a_number": {
        "en": "Field '{field}' is not a decimal number such as 12800.50",
        "zh-CN": "字段“{field}”不是有效的数字（如 12800.50）",
    },
    "decimal_places": {
        "en": "Field '{field}' allows at most {places} decimal places",
        "zh-CN": "字段“{field}”最多保留 {places} 位小数",
    },
    "not_between": {
        "en": "Field '{field}' must be between {minimum} and {maximum}",
        "zh-CN": "字段“{field}”须在 {minimum} 到 {maximum} 之间",
    },
    "number_too_large": {"en": "Field '{field}': the number is too large", "zh-CN": "字段“{field}”：数值过大"},
    "out_of_range": {
        "en": "Field '{field}' is out of range: at most {maximum} in absolute value",
        "zh-CN": "字段“{field}”超出范围：绝对值最大为 {maximum}",
    },
    "expected_type": {
        "en": "Invalid value for field '{field}': expected {type}",
        "zh-CN": "字段“{field}”的值无效：应为 {type} 类型",
    },
    "invalid_value": {"en": "Invalid value for field '{field}'", "zh-CN": "字段“{field}”的值无效"},
    "too_short": {
        "en": "Field '{field}' is too short: at least {minimum} characters",
        "zh-CN": "字段“{field}”过短：至少 {minimum} 个字符",
    },
    "too_few_items": {
        "en": "Field '{field}' has too few entries: at least {minimum}",
        "zh-CN": "字段“{field}”的条目过少：至少 {minimum} 个",
    },
    "at_least": {"en": "Field '{field}' must be at least {minimum}", "zh-CN": "字段“{field}”不能小于 {minimum}"},
    "more_than": {"en": "Field '{field}' must be greater than {minimum}", "zh-CN": "字段“{field}”须大于 {minimum}"},
    "at_most": {"en": "Field '{field}' must be at most {maximum}", "zh-CN": "字段“{field}”不能大于 {maximum}"},
    "less_than": {"en": "Field '{field}' must be less than {maximum}", "zh-CN": "字段“{field}”须小于 {maximum}"},
    "one_of": {"en": "Field '{field}' must be one of: {choices}", "zh-CN": "字段“{field}”须为以下之一：{choices}"},
    "only_from": {
        "en": "Field '{field}' may only hold values from: {choices}",
        "zh-CN": "字段“{field}”只能包含以下值：{choices}",
    },
    "not_before": {"en": "Field '{field}' must not be before '{other}'", "zh-CN": "字段“{field}”不能早于“{other}”"},
    "later_than": {"en": "Field '{field}' must be after '{other}'", "zh-CN": "字段“{field}”须晚于“{other}”"},
    "date_in_past": {"en": "Field '{field}' cannot be a date in the past", "zh-CN": "字段“{field}”不能早于今天"},
    "date_in_future": {"en": "Field '{field}' cannot be a date in the future", "zh-CN": "字段“{field}”不能晚于今天"},
    "identifier": {
        "en": "Field '{field}' must start with a lowercase letter and hold only lowercase letters, digits and _",
        "zh-CN": "字段“{field}”须以小写字母开头，且只能包含小写字母、数字和下划线",
    },
    "currency_code": {
        "en": "Field '{field}' must be a three-letter ISO 4217 currency code such as CNY",
        "zh-CN": "字段“{field}”须为三位 ISO 4217 货币代码，如 CNY",
    },
    "json_object": {"en": "Field '{field}' must be a JSON object", "zh-CN": "字段“{field}”须为 JSON 对象"},
    "bad_format": {"en": "Field '{field}' is not in the expected format", "zh-CN": "字段“{field}”的格式不正确"},
    "not_json": {"en": "Field '{field}' is not a JSON document", "zh-CN": "字段“{field}”不是有效的 JSON 文档"},
    "unknown_field": {
        "en": "Field '{field}' is not one this request takes",
        "zh-CN": "此请求不接受字段“{field}”",
    },
    "invalid_email": {
        "en": "Invalid value for field '{field}': not a valid email address",
        "zh-CN": "字段“{field}”的值无效：不是有效的邮箱地址",
    },
    "no_searchable_characters": {
        "en": "Field '{field}' has no characters to search for",
        "zh-CN": "字段“{field}”不含可搜索的字符",
    },
    "internal": {"en": "Internal server error", "zh-CN": "服务器内部错误"},
    "no_such_path": {"en": "This API has no operation at this path", "zh-CN": "此接口没有该路径的操作"},
    "method_not_allowed": {
        "en": "This path does not take {method}; it takes {allowed}",
        "zh-CN": "此路径不接受 {method} 方法，只接受 {allowed}",
    },
    "collided": {
        "en": "The same was saved by someone else a moment ago; reload and try again",
        "zh-CN": "他人刚刚保存了相同的内容，请刷新后重试",
    },
    "unavailable": {
        "en": "The service is briefly unavailable; try again shortly",
        "zh-CN": "服务暂时不可用，请稍后重试",
    },
    "too_many_requests": {"en": "Too many requests; try again later", "zh-CN": "请求过于频繁，请稍后再试"},
    "unknown_account": {
        "en": "No such account, or it is not yours to sell to",
        "zh-CN": "客户不存在或不在您的权限范围内",
    },
    "needs_time_zone": {
        "en": "Field '{field}' needs a time-zone offset, e.g. 2026-12-20T09:00:00+08:00",
        "zh-CN": "字段“{field}”须带时区偏移，如 2026-12-20T09:00:00+08:00",
    },
    "unknown_contact": {
        "en": "Field '{field}' names no contact of this account",
        "zh-CN": "字段“{field}”不是该客户的联系人",
    },
    "file_too_large": {
        "en": "Field '{field}': the file is larger than the {limit} MB allowed",
        "zh-CN": "字段“{field}”：文件超过允许的 {limit} MB",
    },
    "file_unpacked_too_large": {
        "en": "Field '{field}': the workbook unpacks to more than the {limit} MB allowed",
        "zh-CN": "字段“{field}”：工作簿解压后超过允许的 {limit} MB",
    },
    "file_too_many_rows": {
        "en": "Field '{field}': the file has more than the {limit} rows allowed",
        "zh-CN": "字段“{field}”：文件超过允许的 {limit} 行",
    },
    "file_too_many_columns": {
        "en": "Field '{field}': row {row} has more than the {limit} columns allowed",
        "zh-CN": "字段“{field}”：第 {row} 行超过允许的 {limit} 列",
    },
    "file_encoding": {
        "en": "Field '{field}': the CSV file is not UTF-8 text; save it as CSV UTF-8",
        "zh-CN": "字段“{field}”：CSV 文件不是 UTF-8 编码，请另存为“CSV UTF-8”格式",
    },
    "file_unreadable": {
        "en": "Field '{field}': the file is damaged or is not a {format} file",
        "zh-CN": "字段“{field}”：文件已损坏或不是 {format} 文件",
    },
    "file_empty": {
        "en": "Field '{field}': the file is empty or its first row names no columns",
        "zh-CN": "字段“{field}”：文件为空或第一行没有列名",
    },
    "file_no_sheet": {
        "en": "Field '{field}': the workbook has no worksheet",
        "zh-CN": "字段“{field}”：工作簿中没有工作表",
    },
    "file_not_base64": {
        "en": "Field '{field}': an XLSX file must be sent in base64",
        "zh-CN": "字段“{field}”：XLSX 文件须以 base64 编码提交",
    },
    "idempotency_key_invalid": {
        "en": "An Idempotency-Key is 1 to 200 visible ASCII characters (a UUID, for instance)",
        "zh-CN": "Idempotency-Key 须为 1 到 200 个可见 ASCII 字符（例如 UUID）",
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


# what NOT_FOUND calls the records of the suite, by their model's name; a name not here is shown as it is
ENTITIES: dict[str, tuple[str, str]] = {
    "Account": ("Account", "客户"),
    "ApiKey": ("API key", "API 密钥"),
    "Approval": ("Approval", "审批"),
    "ApprovalChain": ("Approval chain", "审批链"),
    "ApprovalDelegation": ("Approval delegation", "审批代理"),
    "Article": ("Article", "知识库文章"),
    "AssignmentRule": ("Assignment rule", "分配规则"),
    "Attachment": ("Attachment", "附件"),
    "AuditRecord": ("Audit record", "审计记录"),
    "Call": ("Call", "通话"),
    "Campaign": ("Campaign", "市场活动"),
    "Category": ("Category", "分类"),
    "Competitor": ("Competitor", "竞争对手"),
    "Contact": ("Contact", "联系人"),
    "Contract": ("Contract", "合同"),
    "DeadLetterReplay": ("Dead-letter replay", "死信重放"),
    "EmailTemplate": ("Email template", "邮件模板"),
    "ImportJob": ("Import job", "导入任务"),
    "IntelligenceEntry": ("Intelligence entry", "市场情报"),
    "Invoice": ("Invoice", "发票"),
    "Journey": ("Journey", "客户旅程"),
    "Lead": ("Lead", "线索"),
    "Link": ("Link", "链接"),
    "Macro": ("Macro", "快捷回复"),
    "Material": ("Material", "物料"),
    "Opportunity": ("Opportunity", "商机"),
    "Order": ("Order", "订单"),
    "OrgUnit": ("Organisation unit", "组织单元"),
    "Payment": ("Payment", "回款"),
    "Pipeline": ("Pipeline", "销售流程"),
    "Product": ("Product", "产品"),
    "QuarantinedSubmission": ("Quarantined submission", "隔离的表单提交"),
    "Quote": ("Quote", "报价"),
    "Role": ("Role", "角色"),
    "SavedView": ("Saved view", "保存的视图"),
    "Segment": ("Segment", "客户细分"),
    "ServiceAccount": ("Service account", "服务账号"),
    "SigningKey": ("Signing key", "签名密钥"),
    "SmsTemplate": ("SMS template", "短信模板"),
    "Stage": ("Stage", "阶段"),
    "Survey": ("Survey", "满意度调查"),
    "Task": ("Task", "任务"),
    "Ticket": ("Ticket", "工单"),
    "User": ("User", "用户"),
    "WebhookDelivery": ("Webhook delivery", "Webhook 投递"),
    "WebhookSubscription": ("Webhook subscription", "Webhook 订阅"),
    "Workflow": ("Workflow", "自动化规则"),
}


def entity_name(entity: str, locale: str | None = None) -> str:
    names = ENTITIES.get(entity)
    if names is None:
        return entity
    return names[1] if (locale or current_locale()) == "zh-CN" else names[0]


def register(messages: dict[str, dict[str, str]]) -> None:
    """Let a service add its own message catalogue.

    Keys are global to the process (the test runner and the devstack load several services), so a
    key another catalogue already gives another wording is refused rather than silently replaced."""
    clashes = sorted(key for key, text in messages.items() if MESSAGES.get(key, text) != text)
    if clashes:
        raise ValueError(f"message keys already registered with another wording: {', '.join(clashes)}")
    MESSAGES.update(messages)


def translate(key: str, locale: str | None = None, **params: object) -> str:
    catalogue = MESSAGES.get(key, {"en": key})
    text = catalogue.get(locale or current_locale()) or catalogue["en"]
    return text.format(**params)
