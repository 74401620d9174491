/** The permission catalogue (`service:resource:action`) in people's words, in both languages; an unknown code is
 * shown as it is. A resource that is a record type the audit log names (`sales:opportunity` → Opportunity) takes
 * the audit log's words for it. */
import type { Language } from '../../i18n';
import { ENTITIES, pascal, type Words } from '../audit/labels';

const SERVICES: Record<string, Words> = {
  identity: { 'zh-CN': '身份与权限', en: 'Identity and access' },
  customer: { 'zh-CN': '客户管理', en: 'Customers' },
  sales: { 'zh-CN': '销售', en: 'Sales' },
  marketing: { 'zh-CN': '市场营销', en: 'Marketing' },
  support: { 'zh-CN': '客户服务', en: 'Customer service' },
  automation: { 'zh-CN': '自动化', en: 'Automation' },
};

/** Resources the audit log knows under another record type. */
const SAME_AS: Record<string, string> = {
  'support:calendar': 'BusinessCalendar',
  'support:team': 'ServiceTeam',
  'support:shift': 'AgentShift',
  'automation:webhook': 'WebhookSubscription',
};

/** Resources that are no record type of the audit log. */
const RESOURCES: Record<string, Words> = {
  'identity:audit': { 'zh-CN': '审计日志', en: 'Audit log' },
  'identity:schema': { 'zh-CN': 'API 架构', en: 'API schema' },
  'customer:pool': { 'zh-CN': '公海', en: 'Account pool' },
  'sales:lead_rule': { 'zh-CN': '线索分配与评分规则', en: 'Lead assignment and scoring rule' },
  'sales:product': { 'zh-CN': '产品', en: 'Product' },
  'sales:target': { 'zh-CN': '销售目标', en: 'Sales target' },
  'sales:forecast': { 'zh-CN': '销售预测', en: 'Forecast' },
  'marketing:template': { 'zh-CN': '邮件与短信模板', en: 'Email and SMS template' },
  'marketing:intelligence': { 'zh-CN': '竞争对手与市场情报', en: 'Competitors and intelligence' },
  'support:analytics': { 'zh-CN': '服务分析', en: 'Service analytics' },
  'automation:notification': { 'zh-CN': '通知', en: 'Notification' },
  'automation:call': { 'zh-CN': '通话', en: 'Call' },
  'automation:mail': { 'zh-CN': '邮件记录', en: 'Logged mail' },
  'automation:connector': { 'zh-CN': '集成连接器', en: 'Connector' },
  'automation:erp': { 'zh-CN': 'ERP 单据', en: 'ERP document' },
};

const ACTIONS: Record<string, Words> = {
  read: { 'zh-CN': '查看', en: 'View' },
  create: { 'zh-CN': '新建', en: 'Create' },
  update: { 'zh-CN': '编辑', en: 'Edit' },
  delete: { 'zh-CN': '删除', en: 'Delete' },
  assign: { 'zh-CN': '分配', en: 'Assign' },
  deactivate: { 'zh-CN': '停用', en: 'Deactivate' },
  revoke: { 'zh-CN': '吊销', en: 'Revoke' },
  rotate: { 'zh-CN': '轮换', en: 'Rotate' },
  replay: { 'zh-CN': '重放', en: 'Replay' },
  transfer: { 'zh-CN': '移交', en: 'Transfer' },
  merge: { 'zh-CN': '合并', en: 'Merge' },
  import: { 'zh-CN': '导入', en: 'Import' },
  export: { 'zh-CN': '导出', en: 'Export' },
  release: { 'zh-CN': '退回公海', en: 'Release to pool' },
  claim: { 'zh-CN': '领取', en: 'Claim' },
  convert: { 'zh-CN': '转化', en: 'Convert' },
  send: { 'zh-CN': '发送', en: 'Send' },
  issue: { 'zh-CN': '出库', en: 'Issue' },
  publish: { 'zh-CN': '发布', en: 'Publish' },
  review: { 'zh-CN': '审核', en: 'Review' },
};

/** `sales` → 销售 / Sales. */
export function serviceLabel(language: Language, service: string): string {
  return SERVICES[service]?.[language] ?? service;
}

/** `sales:opportunity` → 商机 / Opportunity. */
export function resourceLabel(language: Language, resource: string): string {
  const name = resource.split(':')[1] ?? '';
  return (RESOURCES[resource] ?? ENTITIES[SAME_AS[resource] ?? pascal(name)])?.[language] ?? resource;
}

/** `read` → 查看 / View. */
export function permissionActionLabel(language: Language, action: string): string {
  return ACTIONS[action]?.[language] ?? action;
}
