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
        "budget_too_large": {
            "en": "Field '{field}' adds up to more than {maximum}",
            "zh-CN": "字段“{field}”合计超过 {maximum}",
        },
        "actual_cost_too_large": {
            "en": "Field '{field}' would take the campaign's actual cost of {spent} past {maximum}",
            "zh-CN": "字段“{field}”将使活动的实际费用（现为 {spent}）超过 {maximum}",
        },
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
        "material_currency": {
            "en": "Field '{field}': the campaign keeps its costs in {kept}, the material is priced in {currency}",
            "zh-CN": "字段“{field}”：活动以 {kept} 记账，宣传品以 {currency} 计价",
        },
        "template_render": {
            "en": "Field '{field}' cannot be filled in; the template engine reports: {detail}",
            "zh-CN": "字段“{field}”无法填充，模板引擎报错：{detail}",
        },
        "template_not_allowed": {
            "en": "Field '{field}' uses {name}, which a template may not use (filters allowed: {allowed})",
            "zh-CN": "字段“{field}”使用了模板不允许的 {name}（可用的过滤器：{allowed}）",
        },
        "template_too_long": {
            "en": "Field '{field}' would render to more than {most} characters",
            "zh-CN": "字段“{field}”填充后超过 {most} 个字符",
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
        "segment_in_use": {
            "en": "The segment starts the journeys {journeys}: change their trigger before deleting it",
            "zh-CN": "客户细分正被客户旅程“{journeys}”用作触发条件，请先修改这些旅程再删除",
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

# market intelligence and marketing materials
i18n.register(
    {
        "intel_competitor_taken": {"en": "A competitor with this name exists", "zh-CN": "已存在同名的竞争对手"},
        "intel_unknown_competitor": {
            "en": "Field '{field}' names no competitor",
            "zh-CN": "字段“{field}”不是已登记的竞争对手",
        },
        "material_name_taken": {"en": "A material with this name exists", "zh-CN": "已存在同名的宣传品"},
        "material_short": {
            "en": "Field '{field}' is more than the {stock} {unit} in stock",
            "zh-CN": "字段“{field}”超过库存（现有 {stock} {unit}）",
        },
    }
)

i18n.register(
    {
        "segment_rules_empty": {
            "en": "Field '{field}' needs at least one condition",
            "zh-CN": "字段“{field}”至少需要一个条件",
        },
        "segment_rules_depth": {
            "en": "Field '{field}' nests groups more than {maximum} levels deep",
            "zh-CN": "字段“{field}”的条件组嵌套超过{maximum}层",
        },
        "segment_operator_unfit": {
            "en": "Field '{field}': {operator} does not apply to {subject}",
            "zh-CN": "字段“{field}”：运算符 {operator} 不适用于 {subject}",
        },
        "segment_days": {
            "en": "Field '{field}' must be a number of days from 1 to {maximum}",
            "zh-CN": "字段“{field}”须为 1 到 {maximum} 之间的天数",
        },
        "segment_number": {
            "en": "Field '{field}' must be a whole number from 0 to 1000000",
            "zh-CN": "字段“{field}”须为 0 到 1000000 之间的整数",
        },
        "segment_static_only": {
            "en": "Field '{field}' applies to static segments only",
            "zh-CN": "字段“{field}”仅适用于静态细分",
        },
        "segment_dynamic_only": {
            "en": "Field '{field}' applies to dynamic segments only",
            "zh-CN": "字段“{field}”仅适用于动态细分",
        },
        "segment_kind_fixed": {
            "en": "Field '{field}' cannot change once the segment is saved",
            "zh-CN": "细分保存后不能修改字段“{field}”",
        },
    }
)

# journeys
i18n.register(
    {
        "journey_unknown_campaign": {
            "en": "Field '{field}' names no campaign you may see",
            "zh-CN": "字段“{field}”不是可见的市场活动",
        },
        "journey_unknown_segment": {
            "en": "Field '{field}' names no segment",
            "zh-CN": "字段“{field}”不是已有的客户细分",
        },
        "journey_unchanged": {
            "en": "The draft and its templates are the published version already",
            "zh-CN": "草稿及其邮件模板与已发布版本相同，无需再次发布",
        },
        "journey_no_steps": {"en": "Field '{field}' needs at least one step", "zh-CN": "字段“{field}”至少需要一个步骤"},
        "journey_too_many_steps": {
            "en": "Field '{field}' allows at most {maximum} steps",
            "zh-CN": "字段“{field}”最多允许 {maximum} 个步骤",
        },
        "journey_step_key": {
            "en": "Field '{field}' must be a step key of 1 to 40 characters",
            "zh-CN": "字段“{field}”须为 1 至 40 个字符的步骤标识",
        },
        "journey_step_key_taken": {
            "en": "Field '{field}': two steps are called {name}",
            "zh-CN": "字段“{field}”：有两个步骤都叫 {name}",
        },
        "journey_unknown_step": {
            "en": "Field '{field}' names the step {name}, which does not exist",
            "zh-CN": "字段“{field}”指向不存在的步骤 {name}",
        },
        "journey_unreachable": {
            "en": "Field '{field}': the step {name} cannot be reached from the first step",
            "zh-CN": "字段“{field}”：从第一个步骤无法到达步骤 {name}",
        },
        "journey_cycle": {
            "en": "Field '{field}': the step {name} is in a loop without a wait",
            "zh-CN": "字段“{field}”：步骤 {name} 处于没有等待步骤的循环中",
        },
        "journey_cycle_until": {
            "en": "Field '{field}': the step {name} waits until a set time inside a loop, which no longer waits once "
            "that time has passed; a loop needs a wait of some seconds or for an event",
            "zh-CN": "字段“{field}”：步骤 {name} 在循环中等待到固定时间，该时间过后便不再等待；"
            "循环中须有按时长或等待事件的步骤",
        },
        "journey_unknown_event": {
            "en": "Field '{field}' is not an event a journey can use (known: {known})",
            "zh-CN": "字段“{field}”不是旅程可用的事件（可用：{known}）",
        },
        "journey_required": {"en": "Field '{field}' is required for this step", "zh-CN": "该步骤必须填写字段“{field}”"},
        "journey_offset_days": {
            "en": "Field '{field}' must be a number of days from 0 to 3650",
            "zh-CN": "字段“{field}”须为 0 至 3650 之间的天数",
        },
        "journey_trigger_condition": {
            "en": "Field '{field}': a trigger's conditions test the event's fields",
            "zh-CN": "字段“{field}”：触发条件只能判断事件的字段",
        },
        "journey_operator": {
            "en": "Field '{field}' must be one of {known}",
            "zh-CN": "字段“{field}”须为以下之一：{known}",
        },
        "journey_number": {"en": "Field '{field}' must be a number", "zh-CN": "字段“{field}”须为数字"},
        "journey_wait_kind": {
            "en": "Field '{field}': a wait lasts a number of seconds, until a date, or until an event (with a timeout)",
            "zh-CN": "字段“{field}”：等待须为一段时长、到某个时间，或等到某个事件（带超时）",
        },
        "journey_wait_seconds": {
            "en": "Field '{field}' must be between 1 second and 366 days",
            "zh-CN": "字段“{field}”须在 1 秒至 366 天之间",
        },
        "journey_not_email_step": {
            "en": "Field '{field}' must name an email step (not {name})",
            "zh-CN": "字段“{field}”须指向邮件步骤（而非 {name}）",
        },
        "journey_due_days": {
            "en": "Field '{field}' must be from 0 to 365 days",
            "zh-CN": "字段“{field}”须为 0 至 365 天",
        },
        "journey_exit_next": {
            "en": "Field '{field}': an exit step is the end of the way",
            "zh-CN": "字段“{field}”：退出步骤之后不能再有步骤",
        },
        "journey_lead_email": {
            "en": "Field '{field}': journeys that start from leads cannot send email (marketing has no lead's address)",
            "zh-CN": "字段“{field}”：从线索开始的旅程不能发送邮件（市场模块没有线索的邮箱）",
        },
    }
)
