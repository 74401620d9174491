"""Support's user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "ticket_transition": {
            "en": "A ticket cannot go from {from_status} to {to_status}",
            "zh-CN": "工单不能从“{from_status}”变为“{to_status}”",
        },
        "reopen_window": {
            "en": "The ticket was resolved more than {days} days ago and cannot be reopened",
            "zh-CN": "工单已解决超过 {days} 天，不能重新打开",
        },
        "complaint_needs_cause": {
            "en": "A complaint needs its root cause and resolution before it is resolved",
            "zh-CN": "投诉需填写根本原因和处理结果后才能解决",
        },
        "complaint_needs_review": {
            "en": "A complaint closes only after a service manager approved its resolution",
            "zh-CN": "投诉需经服务经理审核通过后才能关闭",
        },
        "complaint_in_review": {
            "en": "Field '{field}' cannot change while the complaint is in review or approved; reopen it first",
            "zh-CN": "投诉待审核或已审核通过时不能修改字段“{field}”，请先重新打开",
        },
        "complaint_not_pending": {"en": "The complaint is not waiting for review", "zh-CN": "该投诉不在待审核状态"},
        "not_a_complaint": {"en": "Only complaints are reviewed", "zh-CN": "只有投诉需要审核"},
        "ticket_done": {"en": "The ticket is resolved; reopen it first", "zh-CN": "工单已解决，请先重新打开"},
        "ticket_type_fixed": {
            "en": "Field '{field}' cannot change once the ticket is resolved; reopen it first",
            "zh-CN": "工单解决后不能修改字段“{field}”，请先重新打开",
        },
        "policy_without_targets": {
            "en": "Field '{field}': a policy sets at least one target (first response, next response or resolution)",
            "zh-CN": "字段“{field}”：SLA 策略至少要设置一个时限（首次响应、后续响应或解决）",
        },
        "account_fixed": {
            "en": "Field '{field}' can only be set on a ticket that has no account yet",
            "zh-CN": "字段“{field}”只能在工单尚无客户时设置",
        },
        "team_member_twice": {
            "en": "Field '{field}' names an agent already in the team",
            "zh-CN": "字段“{field}”中的客服已在团队中",
        },
        "team_name_taken": {"en": "A service team with this name exists", "zh-CN": "已存在同名的服务团队"},
        "calendar_name_taken": {"en": "A business calendar with this name exists", "zh-CN": "已存在同名的工作日历"},
        "unknown_routing_rule": {"en": "No such routing rule", "zh-CN": "路由规则不存在"},
        "unknown_sla_policy": {"en": "No such SLA policy", "zh-CN": "SLA 策略不存在"},
        "support_one_of": {
            "en": "Field '{field}' must be one of: {choices}",
            "zh-CN": "字段“{field}”须为以下之一：{choices}",
        },
        "one_exception_per_day": {
            "en": "Field '{field}' holds more than one exception for the same day",
            "zh-CN": "字段“{field}”中同一天只能有一个例外",
        },
        "holiday_or_workday": {
            "en": "Field '{field}' names a day that is also a holiday: a day is either a holiday or a workday",
            "zh-CN": "字段“{field}”中的日期同时被设为节假日：一天只能是节假日或工作日",
        },
        "ticket_status_new": {"en": "New", "zh-CN": "新建"},
        "ticket_status_open": {"en": "Open", "zh-CN": "处理中"},
        "ticket_status_pending_customer": {"en": "Pending customer", "zh-CN": "等待客户"},
        "ticket_status_on_hold": {"en": "On hold", "zh-CN": "挂起"},
        "ticket_status_resolved": {"en": "Resolved", "zh-CN": "已解决"},
        "ticket_status_closed": {"en": "Closed", "zh-CN": "已关闭"},
        "unknown_team": {"en": "No such team", "zh-CN": "服务团队不存在"},
        "support_unknown_account": {"en": "No such account", "zh-CN": "客户不存在"},
        "unknown_calendar": {"en": "No such business calendar", "zh-CN": "工作日历不存在"},
        "not_team_member": {"en": "The agent is not in the ticket's team", "zh-CN": "该客服不属于工单所在团队"},
        "bad_hours": {
            "en": "Field '{field}' needs HH:MM times, the start before the end, without overlaps",
            "zh-CN": "字段“{field}”需为 HH:MM 时间，开始早于结束且不重叠",
        },
        "bad_time_zone": {"en": "Field '{field}' is not a known time zone", "zh-CN": "字段“{field}”不是有效的时区"},
        "bad_period": {"en": "Field '{field}' must end after it starts", "zh-CN": "字段“{field}”的结束须晚于开始"},
        "bad_share": {
            "en": "Field '{field}' must be between 1 and 99 percent",
            "zh-CN": "字段“{field}”须在 1 到 99 之间（百分比）",
        },
        "bad_score": {
            "en": "Field '{field}' must be a whole number from {low} to {high}",
            "zh-CN": "字段“{field}”须为 {low} 到 {high} 之间的整数",
        },
        "survey_answered": {"en": "This survey has been answered already", "zh-CN": "该问卷已提交，不能重复作答"},
        "survey_expired": {"en": "This survey link has expired", "zh-CN": "该问卷链接已过期"},
        "installed_unknown_product": {
            "en": "Field '{field}' names no product installed at this account",
            "zh-CN": "字段“{field}”不是该客户已安装的产品",
        },
        "attachment_too_large": {
            "en": "Field '{field}': an attachment may hold at most {limit} bytes",
            "zh-CN": "字段“{field}”：附件不能超过 {limit} 字节",
        },
        "not_base64": {"en": "Field '{field}' is not valid base64", "zh-CN": "字段“{field}”不是有效的 base64 编码"},
        "attachment_type": {
            "en": "Field '{field}': this type of file cannot be attached",
            "zh-CN": "字段“{field}”：不允许附加此类型的文件",
        },
        "unknown_merge_field": {
            "en": "Field '{field}' uses the merge field {{{{{name}}}}}, which does not exist (known: {known})",
            "zh-CN": "字段“{field}”使用了不存在的合并字段 {{{{{name}}}}}（可用：{known}）",
        },
        "unclosed_merge_field": {
            "en": "Field '{field}' has a merge field that is not closed or names no field: write {{{{contact.name}}}}",
            "zh-CN": "字段“{field}”中的合并字段未闭合或未指明字段：应写作 {{{{contact.name}}}}",
        },
        "macro_name_taken": {"en": "A canned response with this name exists", "zh-CN": "已存在同名的快捷回复"},
        "unknown_category": {"en": "No such knowledge-base category", "zh-CN": "知识库分类不存在"},
        "category_name_taken": {
            "en": "A knowledge-base category with this name exists",
            "zh-CN": "已存在同名的知识库分类",
        },
        "article_not_published": {
            "en": "Field '{field}' names an article that is not published",
            "zh-CN": "字段“{field}”指向的文章尚未发布",
        },
        "article_unchanged": {
            "en": "The draft is the published version already",
            "zh-CN": "草稿与已发布版本相同，无需再次发布",
        },
        "resolution_before_response": {
            "en": "Field '{field}': the resolution target cannot come before the first response target",
            "zh-CN": "字段“{field}”：解决时限不能短于首次响应时限",
        },
        "bad_minutes": {
            "en": "Field '{field}' must be between 1 and 525600 minutes",
            "zh-CN": "字段“{field}”须在 1 到 525600 分钟之间",
        },
    }
)
