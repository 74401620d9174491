import type { Catalogue } from '../../i18n';

/** The user and service-account screens' own strings, loaded with their routes. */
export const strings = {
  'zh-CN': {
    'serviceAccounts.new': '新建集成账号',
    'serviceAccounts.name': '名称',
    'serviceAccounts.newKey': '新建 API 密钥',
    'serviceAccounts.newKeyFor': '为 {name} 新建 API 密钥',
    'serviceAccounts.keyName': '密钥名称',
    'serviceAccounts.prefix': '前缀',
    'serviceAccounts.lastUsed': '最近使用',
    'serviceAccounts.noKeys': '还没有 API 密钥',
    'serviceAccounts.revoke': '吊销',
    'serviceAccounts.revoked': '已吊销',
    'serviceAccounts.keyRevoked': '密钥已吊销',
    'serviceAccounts.confirmRevoke': '吊销密钥 {name}？使用它的集成将无法再获取令牌。',
    'serviceAccounts.confirmDeactivate': '停用 {name}？它的所有密钥都将失效。',
    'serviceAccounts.secretTitle': '新的 API 密钥',
    'serviceAccounts.secretOnce': '密钥只显示这一次，请立即妥善保存。',
    'serviceAccounts.stored': '我已保存',
  },
  en: {
    'serviceAccounts.new': 'New service account',
    'serviceAccounts.name': 'Name',
    'serviceAccounts.newKey': 'New API key',
    'serviceAccounts.newKeyFor': 'New API key for {name}',
    'serviceAccounts.keyName': 'Key name',
    'serviceAccounts.prefix': 'Prefix',
    'serviceAccounts.lastUsed': 'Last used',
    'serviceAccounts.noKeys': 'No API keys yet',
    'serviceAccounts.revoke': 'Revoke',
    'serviceAccounts.revoked': 'Revoked',
    'serviceAccounts.keyRevoked': 'Key revoked',
    'serviceAccounts.confirmRevoke': 'Revoke key {name}? Integrations using it can no longer get tokens.',
    'serviceAccounts.confirmDeactivate': 'Deactivate {name}? None of its keys will work any more.',
    'serviceAccounts.secretTitle': 'New API key',
    'serviceAccounts.secretOnce': 'The key is shown this once only: store it safely now.',
    'serviceAccounts.stored': 'I have stored it',
  },
} satisfies Catalogue<string>;

export type Key = keyof (typeof strings)['zh-CN'];
