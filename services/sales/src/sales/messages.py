"""Sales' user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "erp_document_changed": {
            "en": "ERP document {number} was applied before with other contents; send changes under a new number",
            "zh-CN": "ERP 单据 {number} 已按不同内容处理过；修改请使用新的单据号",
        },
        "duplicate_lead": {
            "en": "An open lead with the same phone or email already exists",
            "zh-CN": "已存在电话或邮箱相同的未关闭线索",
        },
        "unknown_stage": {"en": "No such stage in this pipeline", "zh-CN": "该销售流程中没有此阶段"},
        "unknown_pipeline": {"en": "No such pipeline", "zh-CN": "销售流程不存在"},
        "unknown_opportunity": {"en": "No such opportunity", "zh-CN": "商机不存在"},
        "unknown_campaign": {"en": "Field '{field}' names no campaign", "zh-CN": "字段“{field}”不是已有的市场活动"},
        "unknown_quote": {"en": "No such quote", "zh-CN": "报价不存在"},
        "other_account": {"en": "It belongs to another account", "zh-CN": "它属于另一个客户"},
        "unknown_product": {"en": "No such active product", "zh-CN": "产品不存在或已停用"},
        "pipeline_exists": {"en": "A pipeline with this name exists", "zh-CN": "同名销售流程已存在"},
        "product_code_exists": {"en": "A product with this code exists", "zh-CN": "该产品编码已存在"},
        "price_book_exists": {"en": "A price book with this name exists", "zh-CN": "同名价格表已存在"},
        "unknown_price_book": {"en": "No such active price book", "zh-CN": "价格表不存在或已停用"},
        "price_book_currency": {
            "en": "The price book must be in the deal's currency ({currency})",
            "zh-CN": "价格表币种须与商机币种（{currency}）一致",
        },
        "price_book_scope": {
            "en": "A price book applies to a customer level, a region or both",
            "zh-CN": "价格表需指定客户等级或地区",
        },
        "lead_needs_contact": {
            "en": "A lead needs a phone or an email",
            "zh-CN": "线索至少需要电话或邮箱之一",
        },
        "use_assign_lead": {"en": "Change the owner with assignLead", "zh-CN": "请使用分配线索更换负责人"},
        "lead_converted": {"en": "The lead is already converted", "zh-CN": "该线索已转化"},
        "lead_converting": {
            "en": "The lead is being converted; it changes no more until the conversion completes or fails",
            "zh-CN": "该线索正在转化中，转化完成或失败之前不能修改",
        },
        "lead_disqualified": {"en": "A disqualified lead cannot be converted", "zh-CN": "无效线索不能转化"},
        "lead_unassigned": {"en": "Assign the lead before converting it", "zh-CN": "请先分配线索再转化"},
        "rule_needs_members": {"en": "Name members or a unit", "zh-CN": "请指定成员或部门"},
        "default_company_wide": {
            "en": "The default pipeline is company-wide: it has no unit",
            "zh-CN": "默认销售流程适用于全公司，不能指定部门",
        },
        "import_headers": {
            "en": "The first row must name at least the company and contact columns",
            "zh-CN": "首行需至少包含公司和联系人列",
        },
        "immutable_field": {
            "en": "Field '{field}' cannot be changed here",
            "zh-CN": "字段“{field}”不能在此修改",
        },
        "opportunity_closed": {
            "en": "The opportunity is closed; reopen it first",
            "zh-CN": "商机已关闭，请先重新打开",
        },
        "opportunity_open": {"en": "The opportunity is open", "zh-CN": "商机尚未关闭"},
        "opportunity_ordered": {
            "en": "The opportunity has a live order ({order}); it can be reopened or sold again only once that "
            "order is cancelled",
            "zh-CN": "该商机已有有效订单（{order}），取消该订单后才能重新打开或再次成交",
        },
        "stage_requires": {
            "en": "Stage '{stage}' requires field '{field}'",
            "zh-CN": "阶段“{stage}”要求填写字段“{field}”",
        },
        "quote_not_draft": {"en": "Only a draft quote can be submitted", "zh-CN": "只有草稿报价可以提交"},
        "quote_not_pending": {"en": "The quote is not waiting for approval", "zh-CN": "该报价不在待审批状态"},
        "quote_not_approved": {
            "en": "Only an approved quote can be accepted",
            "zh-CN": "只有已审批的报价可以被接受",
        },
        "quote_expired": {"en": "The quote is past its validity date", "zh-CN": "报价已过有效期"},
        "contract_transition": {
            "en": "A {status} contract cannot become {to}",
            "zh-CN": "合同当前状态为 {status}，不能变更为 {to}",
        },
        "contract_not_signed": {
            "en": "Only a signed contract can be ordered",
            "zh-CN": "只有已签订的合同可以下单",
        },
        "contract_ordered": {"en": "This contract already has an order", "zh-CN": "该合同已生成订单"},
        "order_invoiced": {"en": "An invoiced order cannot be cancelled", "zh-CN": "已开票的订单不能取消"},
        "order_not_confirmed": {
            "en": "Only a confirmed order can be fulfilled",
            "zh-CN": "只有已确认的订单可以发货",
        },
        "out_of_stock": {
            "en": "Not enough {product} in stock ({available} left)",
            "zh-CN": "产品 {product} 库存不足（剩余 {available}）",
        },
        "order_cancelled": {"en": "The order is cancelled", "zh-CN": "订单已取消"},
        "invoice_exceeds_order": {
            "en": "At most {remaining} is left to invoice on this order",
            "zh-CN": "该订单最多还可开票 {remaining}",
        },
        "invoice_settled": {"en": "The invoice is paid or void", "zh-CN": "该发票已结清或已作废"},
        "payment_exceeds_invoice": {
            "en": "The payment exceeds the {outstanding} outstanding",
            "zh-CN": "收款金额超过未收金额 {outstanding}",
        },
        "target_for_one": {"en": "Give either userId or unitId", "zh-CN": "请指定 userId 或 unitId 之一"},
        "period_format": {
            "en": "Field '{field}' must be a year (2026), a quarter (2026-Q4) or a month (2026-11)",
            "zh-CN": "字段“{field}”须为年份（如 2026）、季度（如 2026-Q4）或月份（如 2026-11）",
        },
        "period_month": {
            "en": "Field '{field}' names a month that does not exist: months run from 01 to 12",
            "zh-CN": "字段“{field}”的月份不存在：月份须在 01 到 12 之间",
        },
        "target_period": {
            "en": "Field '{field}' must be a month (2026-11) or a quarter (2026-Q4): targets are not set per year",
            "zh-CN": "字段“{field}”须为月份（如 2026-11）或季度（如 2026-Q4），目标不按年设置",
        },
        "unknown_target_unit": {
            "en": "Field '{field}': no such unit within your scope",
            "zh-CN": "字段“{field}”：部门不存在或不在您的权限范围内",
        },
        "entry_repeated": {
            "en": "Field '{field}' repeats another entry of the same list",
            "zh-CN": "字段“{field}”与同一列表中的其他条目重复",
        },
        "score_activities": {
            "en": "Field '{field}' must be a whole number of activities, such as 3",
            "zh-CN": "字段“{field}”须为活动次数（整数，如 3）",
        },
    }
)
