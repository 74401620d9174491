"""Automation's user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "workflow_unknown_key": {
            "en": "Field '{field}' is not a setting of this part of the workflow",
            "zh-CN": "字段“{field}”不是工作流此处可用的设置",
        },
        "workflow_bad_value": {"en": "Field '{field}' has an invalid value", "zh-CN": "字段“{field}”的值无效"},
        "workflow_step_ids": {
            "en": "Field '{field}': each step needs its own id",
            "zh-CN": "字段“{field}”：每个步骤的编号不能重复",
        },
        "workflow_later_step": {
            "en": "Field '{field}' must name a later step of this workflow, or end",
            "zh-CN": "字段“{field}”须为本工作流中后面的步骤，或 end",
        },
        "workflow_cron": {
            "en": "Field '{field}' is not a valid cron expression",
            "zh-CN": "字段“{field}”不是有效的 cron 表达式",
        },
        "workflow_url": {
            "en": "Field '{field}' must be an http or https address",
            "zh-CN": "字段“{field}”须为 http 或 https 地址",
        },
        "workflow_cron_never": {
            "en": "Field '{field}' names a time that never comes, such as 31 February",
            "zh-CN": "字段“{field}”的时间永远不会到来（如 2 月 31 日）",
        },
        "workflow_cron_fields": {
            "en": "Field '{field}' must be a cron expression of five fields: minute hour day month weekday",
            "zh-CN": "字段“{field}”须为五段式 cron 表达式：分 时 日 月 周",
        },
        "condition_text": {
            "en": "Field '{field}' must be text for the operator contains",
            "zh-CN": "字段“{field}”须为文本，才能使用 contains 比较",
        },
        "condition_list": {
            "en": "Field '{field}' must be a list of values for the operators in and notIn",
            "zh-CN": "字段“{field}”须为值的列表，才能使用 in 或 notIn 比较",
        },
        "condition_comparable": {
            "en": "Field '{field}' must be a number or text for the operators gt, gte, lt and lte",
            "zh-CN": "字段“{field}”须为数字或文本，才能使用 gt、gte、lt 或 lte 比较",
        },
        "template_unclosed": {
            "en": "Field '{field}' has a placeholder that is not closed or names no path: write {{{{ event.field }}}}",
            "zh-CN": "字段“{field}”中的占位符未闭合或未指明路径：应写作 {{{{ event.field }}}}",
        },
        "notification_link": {
            "en": "Field '{field}' must be a path of the app (/leads/...) or an http or https address",
            "zh-CN": "字段“{field}”须为应用内路径（/leads/...）或 http、https 地址",
        },
        "webhook_destination": {
            "en": "Field '{field}' names an address webhooks may not reach: {address}",
            "zh-CN": "字段“{field}”指向 Webhook 不可访问的地址：{address}",
        },
        "webhook_host": {
            "en": "Field '{field}' has a host that is neither a domain name nor an IP address: {host}",
            "zh-CN": "字段“{field}”中的主机既不是有效的域名，也不是有效的 IP 地址：{host}",
        },
        "webhook_event_type": {
            "en": "Field '{field}' is not an event type the suite sends to webhooks, such as lead.assigned",
            "zh-CN": "字段“{field}”不是系统推送给 Webhook 的事件类型（如 lead.assigned）",
        },
        "webhook_name_taken": {
            "en": "A webhook subscription with this name exists",
            "zh-CN": "已存在同名的 Webhook 订阅",
        },
        "approval_one_decision": {
            "en": "You have decided at this level already for someone you stand in for: "
            "one person gives one decision a level",
            "zh-CN": "您已在本级代他人作出决定：每人每级只能决定一次",
        },
        "workflow_name_taken": {"en": "A workflow with this name exists", "zh-CN": "已存在同名的工作流"},
        "workflow_unchanged": {
            "en": "The draft is the published version already",
            "zh-CN": "草稿与已发布版本相同，无需再次发布",
        },
        "webhook_secret": {
            "en": "Field '{field}' must be a whsec_ secret of at least 24 bytes in base64",
            "zh-CN": "字段“{field}”须为 whsec_ 开头、至少 24 字节的 base64 密钥",
        },
        "webhook_not_failed": {
            "en": "Only a delivery that was given up or failed can be replayed",
            "zh-CN": "只有已放弃或失败的投递可以重发",
        },
        "connector_refused": {"en": "{said}", "zh-CN": "{said}"},
        "call_no_phone": {
            "en": "Field '{field}': this contact has no phone number you may call",
            "zh-CN": "字段“{field}”：该联系人没有可拨打的电话号码",
        },
        "call_not_linkable": {
            "en": "Only an ended call not yet on a contact can be linked",
            "zh-CN": "只有已结束且尚未关联联系人的通话可以关联",
        },
        "cti_not_configured": {
            "en": "No phone system is connected (AUTOMATION_CTI_URL, AUTOMATION_CTI_SECRET)",
            "zh-CN": "未连接电话系统（AUTOMATION_CTI_URL、AUTOMATION_CTI_SECRET）",
        },
        "cti_refused": {
            "en": "The phone system refused the call (HTTP {status})",
            "zh-CN": "电话系统拒绝了此次呼叫（HTTP {status}）",
        },
        "approval_chain_name_taken": {"en": "An approval chain with this name exists", "zh-CN": "已存在同名的审批链"},
        "approver_role_unknown": {
            "en": "Field '{field}': there is no role '{role}': name a built-in role or one someone holds",
            "zh-CN": "字段“{field}”：没有角色“{role}”，请填写内置角色或已有人担任的角色",
        },
        "approval_position": {
            "en": "Field '{field}' must be a whole number from 0 to 10000",
            "zh-CN": "字段“{field}”须为 0 到 10000 之间的整数",
        },
        "approval_closed": {"en": "This approval is decided already", "zh-CN": "该审批已经结束"},
        "approval_decided_already": {
            "en": "You have decided at this level already",
            "zh-CN": "您已在本级作出决定",
        },
        "approval_not_yours": {
            "en": "This approval does not wait on you or on anyone you stand in for",
            "zh-CN": "该审批不在等待您或您代理的人处理",
        },
        "approval_self_delegate": {
            "en": "Field '{field}' must name someone other than yourself",
            "zh-CN": "字段“{field}”须为您以外的人",
        },
        "approval_delegation_dates": {
            "en": "Field '{field}' must be after the start",
            "zh-CN": "字段“{field}”须晚于开始时间",
        },
        "approval_delegation_past": {
            "en": "Field '{field}' must be in the future",
            "zh-CN": "字段“{field}”须为将来的时间",
        },
        "approval_delegation_long": {
            "en": "Field '{field}': a delegation lasts at most {days} days",
            "zh-CN": "字段“{field}”：代理最长 {days} 天",
        },
        "approval_delegation_started": {
            "en": "Field '{field}' must not be in the past",
            "zh-CN": "字段“{field}”不能早于当前时间",
        },
        "approval_delegation_overlaps": {
            "en": "You delegate your approvals from {starts} until {ends} already: end that delegation first",
            "zh-CN": "您已将 {starts} 至 {ends} 的审批委托他人，请先结束该代理",
        },
        "approval_delegation_cycle": {
            "en": "Field '{field}': this user delegates their approvals to you during this time; "
            "two people cannot stand in for each other",
            "zh-CN": "字段“{field}”：该用户在此期间已将审批委托给您，两人不能互相代理",
        },
        "approval_delegation_over": {"en": "This delegation is over already", "zh-CN": "该代理已经结束"},
        "approver_role_cannot_read": {
            "en": "Field '{field}': those holding role '{role}' may not see these records; name a role that may",
            "zh-CN": "字段“{field}”：担任角色“{role}”的用户无权查看此类记录，请填写有权查看的角色",
        },
        "notification_kind_twice": {
            "en": "Field '{field}' names a kind given before: give each kind once",
            "zh-CN": "字段“{field}”的通知类型前面已出现，每种类型只能设置一次",
        },
        "notification_kind": {
            "en": "Field '{field}' must be a notification kind: {choices}",
            "zh-CN": "字段“{field}”须为通知类型之一：{choices}",
        },
    }
)
