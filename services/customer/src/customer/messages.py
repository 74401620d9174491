"""Customer's user-facing messages (zh-CN and en)."""

from crm_shared import i18n

i18n.register(
    {
        "duplicate_account": {
            "en": "An account with the same name, phone or email already exists",
            "zh-CN": "已存在名称、电话或邮箱相同的客户",
        },
        "duplicate_contact": {
            "en": "This account already has a contact with the same phone, email or name",
            "zh-CN": "该客户下已有电话、邮箱或姓名相同的联系人",
        },
        "use_transfer": {"en": "Change the owner with transferAccounts", "zh-CN": "请使用客户移交更换负责人"},
        "account_in_pool": {"en": "The account is in the public pool", "zh-CN": "该客户在公海中"},
        "account_not_in_pool": {"en": "The account is not in the public pool", "zh-CN": "该客户不在公海中"},
        "claim_limit": {
            "en": "You already hold {limit} accounts claimed from the pool",
            "zh-CN": "您从公海领取的客户已达上限 {limit} 个",
        },
        "self_link": {"en": "An account cannot be linked to itself", "zh-CN": "客户不能与自身建立关系"},
        "link_exists": {
            "en": "These accounts are already linked this way",
            "zh-CN": "这两个客户之间已存在该关系",
        },
        "contact_not_at_account": {
            "en": "The contact does not belong to this account",
            "zh-CN": "该联系人不属于此客户",
        },
        "time_in_future": {
            "en": "Field '{field}' cannot be a time still to come: plan a task for it instead",
            "zh-CN": "字段“{field}”不能晚于现在；尚未发生的请创建任务",
        },
        "remind_after_due": {
            "en": "The reminder must come before the due time",
            "zh-CN": "提醒时间必须早于截止时间",
        },
        "merge_same": {"en": "An account cannot be merged into itself", "zh-CN": "不能将客户合并到其自身"},
        "unknown_custom_field": {
            "en": "No custom field '{field}' is defined",
            "zh-CN": "未定义自定义字段“{field}”",
        },
        "custom_field_exists": {
            "en": "A custom field with this key exists",
            "zh-CN": "该自定义字段标识已存在",
        },
        "option_repeated": {
            "en": "Field '{field}' repeats an option given before it",
            "zh-CN": "字段“{field}”与前面的选项重复",
        },
        "option_comma": {
            "en": "Field '{field}' may not hold a comma: a multiple-choice value lists its options separated by commas",
            "zh-CN": "字段“{field}”不能包含英文逗号：多选值以英文逗号分隔各选项",
        },
        "import_failed": {
            "en": "The import stopped on an unexpected error; rows already imported are kept, import the rest again",
            "zh-CN": "导入因意外错误中止；已导入的行会保留，请重新导入其余的行",
        },
        "import_no_such_account": {
            "en": "Field '{field}': no account of this name that you may edit",
            "zh-CN": "字段“{field}”：没有您可编辑的同名客户",
        },
        "import_duplicate_not_editable": {
            "en": "Field '{field}': the account this row repeats is one you may not edit",
            "zh-CN": "字段“{field}”：该行与一个您无权编辑的客户重复",
        },
        "import_account_in_pool": {
            "en": "Field '{field}': this row's account is in the public pool; claim it first",
            "zh-CN": "字段“{field}”：该行对应的客户在公海中，请先领取",
        },
        "import_contact_not_editable": {
            "en": "Field '{field}': the contact this row repeats is one you may not edit",
            "zh-CN": "字段“{field}”：该行与一个您无权编辑的联系人重复",
        },
        "mapping_object": {
            "en": "Field '{field}' must be a JSON object naming a field for each column",
            "zh-CN": "字段“{field}”须为 JSON 对象，为每一列指定要导入的字段",
        },
        "mapping_unknown_field": {
            "en": "Field '{field}': the column {column} maps to {name}, which is no field to import",
            "zh-CN": "字段“{field}”：列“{column}”对应的“{name}”不是可导入的字段",
        },
        "mapping_unknown_column": {
            "en": "Field '{field}' names the column {column}, which the file does not have",
            "zh-CN": "字段“{field}”中的列“{column}”在文件中不存在",
        },
        "mapping_required": {
            "en": "Field '{field}': a column must map to {name}",
            "zh-CN": "字段“{field}”：须有一列对应到字段“{name}”",
        },
        "task_done": {"en": "The task is already completed", "zh-CN": "该任务已完成"},
        "view_name_taken": {"en": "You already have a view with this name", "zh-CN": "您已有同名的视图"},
        "view_filter_values": {
            "en": "Field '{field}' may hold only text of at most 200 characters, numbers or true/false, "
            "under keys of at most 50 characters",
            "zh-CN": "字段“{field}”的值只能是不超过 200 个字符的文本、数字或布尔值，键名最多 50 个字符",
        },
        "too_many_views": {
            "en": "You can keep at most {maximum} views of a list",
            "zh-CN": "每个列表最多保存 {maximum} 个视图",
        },
    }
)
