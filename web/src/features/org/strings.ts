import type { Catalogue } from '../../i18n';

/** The organisation screen' own strings, loaded with their routes. */
export const strings = {
  'zh-CN': {
    'org.tree': '组织树',
    'org.choose': '在组织树中选择一个单元，查看其成员。',
    'org.newRoot': '新建顶级单元',
    'org.newChild': '新建下级单元',
    'org.name': '名称',
    'org.parent': '上级单元',
    'org.kindLabel': '类型',
    'org.kind.company': '公司',
    'org.kind.department': '部门',
    'org.kind.team': '团队',
    'org.manager': '负责人：{name}',
    'org.delete': '删除单元',
    'org.deleted': '单元已删除',
    'org.confirmDelete': '删除 {name}？只有没有下级单元和成员的单元可以删除。',
    'org.members': '成员',
    'org.membersCount': '成员（{count}）',
    'org.noMembers': '没有成员',
  },
  en: {
    'org.tree': 'Organisation tree',
    'org.choose': 'Choose a unit in the tree to see its members.',
    'org.newRoot': 'New top-level unit',
    'org.newChild': 'New sub-unit',
    'org.name': 'Name',
    'org.parent': 'Parent unit',
    'org.kindLabel': 'Kind',
    'org.kind.company': 'Company',
    'org.kind.department': 'Department',
    'org.kind.team': 'Team',
    'org.manager': 'Manager: {name}',
    'org.delete': 'Delete unit',
    'org.deleted': 'Unit deleted',
    'org.confirmDelete': 'Delete {name}? Only a unit without sub-units or members can be deleted.',
    'org.members': 'Members',
    'org.membersCount': 'Members ({count})',
    'org.noMembers': 'No members',
  },
} satisfies Catalogue<string>;

export type Key = keyof (typeof strings)['zh-CN'];
