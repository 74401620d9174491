"""Marketing's user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "campaign_transition": {
            "en": "A campaign cannot go from {from_status} to {to_status}",
            "zh-CN": "市场活动不能从“{from_status}”变为“{to_status}”",
        },
        "budget_transition": {
            "en": "A budget cannot go from {from_status} to {to_status}",
            "zh-CN": "预算不能从“{from_status}”变为“{to_status}”",
        },
        "approved_by_budget": {
            "en": "A campaign is approved by approving its budget",
            "zh-CN": "市场活动需通过预算审批才能变为已批准",
        },
        "campaign_closed": {
            "en": "The campaign is {status} and cannot change",
            "zh-CN": "市场活动已为“{status}”状态，不能修改",
        },
        "budget_locked": {
            "en": "Field '{field}' cannot change while the budget is {status}",
            "zh-CN": "预算为“{status}”状态时不能修改字段“{field}”",
        },
        "budget_empty": {
            "en": "Field '{field}' needs at least one budget line",
            "zh-CN": "字段“{field}”至少需要一条预算明细",
        },
        "not_an_approver": {
            "en": "Only a manager above the submitter in the organisation may decide this budget",
            "zh-CN": "只有组织架构中位于提交人之上的经理才能审批该预算",
        },
        "cost_before_approval": {
            "en": "Costs are recorded once the budget is approved, until the campaign is cancelled",
            "zh-CN": "预算审批通过后才能登记实际费用（已取消的活动不能登记）",
        },
        "negative_amount": {"en": "Field '{field}' must be greater than zero", "zh-CN": "字段“{field}”须大于零"},
        "ends_before_start": {
            "en": "Field '{field}' must not be before the start",
            "zh-CN": "字段“{field}”不能早于开始日期",
        },
        "contact_not_visible": {
            "en": "Field '{field}' names no contact you may see",
            "zh-CN": "字段“{field}”不是可见的联系人",
        },
        "unknown_lead": {"en": "Field '{field}' names no lead you may see", "zh-CN": "字段“{field}”不是可见的线索"},
        "unknown_template": {
            "en": "Field '{field}' names no email template",
            "zh-CN": "字段“{field}”不是有效的邮件模板",
        },
        "template_name_taken": {"en": "An email template with this name exists", "zh-CN": "已存在同名的邮件模板"},
        "template_syntax": {
            "en": "Field '{field}' is not a valid template (line {line})",
            "zh-CN": "字段“{field}”不是有效的模板（第 {line} 行）",
        },
        "unknown_template_field": {
            "en": "Field '{field}' uses the merge field {name}, which does not exist (known: {known})",
            "zh-CN": "字段“{field}”使用了不存在的合并字段 {name}（可用：{known}）",
        },
        "campaign_no_template": {
            "en": "Field '{field}': choose the campaign's email template first",
            "zh-CN": "字段“{field}”：请先为活动选择邮件模板",
        },
        "campaign_already_sent": {"en": "The campaign has been sent already", "zh-CN": "该活动已发送，不能重复发送"},
        "campaign_not_sendable": {
            "en": "A campaign is sent once its budget is approved; this one is {status}",
            "zh-CN": "预算审批通过后活动才能发送；该活动当前为“{status}”",
        },
        "sms_signature": {
            "en": "Field '{field}' must be the approved signature in 【】, 2 to 12 characters inside",
            "zh-CN": "字段“{field}”须为【】括起的已报备签名，括号内 2 到 12 个字符",
        },
        "sms_opt_out_missing": {
            "en": "Field '{field}': a marketing text must tell how to opt out ({text})",
            "zh-CN": "字段“{field}”：营销短信须包含退订方式“{text}”",
        },
        "sms_param_missing": {
            "en": "Field '{field}' gives no value for the parameter ${{{name}}}",
            "zh-CN": "字段“{field}”缺少参数 ${{{name}}} 的取值",
        },
        "sms_param_unknown": {
            "en": "Field '{field}' names the parameter {name}, which the content does not use",
            "zh-CN": "字段“{field}”中的参数 {name} 未在短信内容中使用",
        },
        "sms_provider_code": {
            "en": "Field '{field}' must be the provider's template code (letters, digits, _ . -)",
            "zh-CN": "字段“{field}”须为服务商的模板编号（字母、数字、_ . -）",
        },
        "sms_template_name_taken": {"en": "An SMS template with this name exists", "zh-CN": "已存在同名的短信模板"},
        "sms_not_sms_campaign": {"en": "Only SMS campaigns send texts", "zh-CN": "只有短信营销活动可以发送短信"},
        "sms_unknown_template": {
            "en": "Field '{field}' names no SMS template",
            "zh-CN": "字段“{field}”不是有效的短信模板",
        },
        "sms_campaign_no_template": {
            "en": "Field '{field}': choose the campaign's SMS template first",
            "zh-CN": "字段“{field}”：请先为活动选择短信模板",
        },
        "sms_callback_signature": {
            "en": "The callback's signature does not match",
            "zh-CN": "回调签名不匹配",
        },
        "not_sendable_type": {
            "en": "Only email and SMS campaigns are sent",
            "zh-CN": "只有邮件和短信营销活动可以发送",
        },
        "sms_callback_body": {
            "en": "Field '{field}' is not the provider's JSON",
            "zh-CN": "字段“{field}”不是服务商的 JSON",
        },
    }
)
