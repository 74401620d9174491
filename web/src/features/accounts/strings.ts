import type { Catalogue } from '../../i18n';

/** The account screens' own strings, loaded with their routes. */
export const strings = {
  'zh-CN': {
    'sort.UPDATED_DESC': '最近更新',
    'sort.CREATED_DESC': '最近创建',
    'sort.NAME_ASC': '按名称',
    'merge.title': '合并客户',
    'merge.hint': '选择合并后保留的客户和每个字段的值；联系人、活动、任务和关系都会移到保留的客户，另一个客户将被移除。',
    'merge.survivor': '保留的客户',
    'merge.field': '字段',
    'merge.submit': '确认合并',
    'merge.done': '已合并',
    'activity.log': '记录活动',
    'activity.kind': '类型',
    'activity.subject': '主题',
    'activity.content': '内容',
    'activity.outcome': '结果',
    'activity.logged': '已记录',
  },
  en: {
    'sort.UPDATED_DESC': 'Recently updated',
    'sort.CREATED_DESC': 'Recently created',
    'sort.NAME_ASC': 'By name',
    'merge.title': 'Merge accounts',
    'merge.hint': 'Choose the account that remains and the value each field keeps; contacts, activities, tasks and links move to it and the other account is retired.',
    'merge.survivor': 'Account that remains',
    'merge.field': 'Field',
    'merge.submit': 'Merge',
    'merge.done': 'Merged',
    'activity.log': 'Log an activity',
    'activity.kind': 'Kind',
    'activity.subject': 'Subject',
    'activity.content': 'Notes',
    'activity.outcome': 'Outcome',
    'activity.logged': 'Logged',
  },
} satisfies Catalogue<string>;

export type Key = keyof (typeof strings)['zh-CN'];
