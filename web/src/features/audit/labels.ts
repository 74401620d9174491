/** Audit actions and record types as people read them, in both languages; an unknown code is shown as it is. */
import type { Language } from '../../i18n';

export type Words = { 'zh-CN': string; en: string };

/** Record types as the services write them (`entityType`); the role editor names permissions' resources with them. */
export const ENTITIES: Record<string, Words> = {
  Account: { 'zh-CN': '客户', en: 'Account' },
  Activity: { 'zh-CN': '活动记录', en: 'Activity' },
  AgentShift: { 'zh-CN': '坐席排班', en: 'Agent shift' },
  ApiKey: { 'zh-CN': 'API 密钥', en: 'API key' },
  Approval: { 'zh-CN': '审批', en: 'Approval' },
  ApprovalChain: { 'zh-CN': '审批链', en: 'Approval chain' },
  Article: { 'zh-CN': '知识库文章', en: 'Article' },
  ArticleCategory: { 'zh-CN': '文章分类', en: 'Article category' },
  Burst: { 'zh-CN': '营销批次', en: 'Burst' },
  BusinessCalendar: { 'zh-CN': '工作日历', en: 'Business calendar' },
  Campaign: { 'zh-CN': '市场活动', en: 'Campaign' },
  Category: { 'zh-CN': '分类', en: 'Category' },
  Competitor: { 'zh-CN': '竞争对手', en: 'Competitor' },
  Consent: { 'zh-CN': '营销许可', en: 'Consent' },
  Contact: { 'zh-CN': '联系人', en: 'Contact' },
  Contract: { 'zh-CN': '合同', en: 'Contract' },
  CustomField: { 'zh-CN': '自定义字段', en: 'Custom field' },
  DeadLetter: { 'zh-CN': '死信事件', en: 'Dead letter' },
  Delegation: { 'zh-CN': '审批委托', en: 'Delegation' },
  EmailTemplate: { 'zh-CN': '邮件模板', en: 'Email template' },
  ErpOrder: { 'zh-CN': 'ERP 订单', en: 'ERP order' },
  ImportJob: { 'zh-CN': '导入任务', en: 'Import job' },
  IntelligenceEntry: { 'zh-CN': '市场情报', en: 'Intelligence entry' },
  Invoice: { 'zh-CN': '发票', en: 'Invoice' },
  Journey: { 'zh-CN': '客户旅程', en: 'Journey' },
  Lead: { 'zh-CN': '线索', en: 'Lead' },
  Macro: { 'zh-CN': '快捷回复', en: 'Macro' },
  Material: { 'zh-CN': '物料', en: 'Material' },
  Message: { 'zh-CN': '营销消息', en: 'Message' },
  Notification: { 'zh-CN': '通知', en: 'Notification' },
  Opportunity: { 'zh-CN': '商机', en: 'Opportunity' },
  Order: { 'zh-CN': '订单', en: 'Order' },
  OrgUnit: { 'zh-CN': '组织单元', en: 'Org unit' },
  Payment: { 'zh-CN': '回款', en: 'Payment' },
  Pipeline: { 'zh-CN': '销售流程', en: 'Pipeline' },
  QuarantinedSubmission: { 'zh-CN': '隔离的表单提交', en: 'Quarantined submission' },
  Quote: { 'zh-CN': '报价', en: 'Quote' },
  Role: { 'zh-CN': '角色', en: 'Role' },
  RoutingRule: { 'zh-CN': '分配规则', en: 'Routing rule' },
  SecuritySettings: { 'zh-CN': '安全设置', en: 'Security settings' },
  Segment: { 'zh-CN': '客户细分', en: 'Segment' },
  ServiceAccount: { 'zh-CN': '服务账号', en: 'Service account' },
  ServiceTeam: { 'zh-CN': '服务团队', en: 'Service team' },
  SigningKey: { 'zh-CN': '签名密钥', en: 'Signing key' },
  SlaPolicy: { 'zh-CN': 'SLA 策略', en: 'SLA policy' },
  SmsTemplate: { 'zh-CN': '短信模板', en: 'SMS template' },
  Survey: { 'zh-CN': '满意度调查', en: 'Survey' },
  Task: { 'zh-CN': '任务', en: 'Task' },
  Ticket: { 'zh-CN': '工单', en: 'Ticket' },
  User: { 'zh-CN': '用户', en: 'User' },
  WebhookDelivery: { 'zh-CN': 'Webhook 投递', en: 'Webhook delivery' },
  WebhookSubscription: { 'zh-CN': 'Webhook 订阅', en: 'Webhook subscription' },
  Workflow: { 'zh-CN': '自动化规则', en: 'Workflow' },
  WorkflowRun: { 'zh-CN': '规则运行', en: 'Workflow run' },
};

/** Actions that read better whole than as a record type and what happened to it. */
const ACTIONS: Record<string, Words> = {
  'auth.login': { 'zh-CN': '登录', en: 'Signed in' },
  'auth.login_failed': { 'zh-CN': '登录失败', en: 'Sign-in failed' },
  'auth.logout': { 'zh-CN': '退出登录', en: 'Signed out' },
  'auth.locked': { 'zh-CN': '账号已锁定', en: 'Account locked' },
  'auth.denied': { 'zh-CN': '访问被拒绝', en: 'Access denied' },
  'auth.password_changed': { 'zh-CN': '修改密码', en: 'Password changed' },
  'auth.password_reset': { 'zh-CN': '重置密码', en: 'Password reset' },
  'auth.password_reset_requested': { 'zh-CN': '申请重置密码', en: 'Password reset requested' },
  'auth.refresh_reuse': { 'zh-CN': '刷新令牌被重复使用', en: 'Refresh token reused' },
  'auth.totp_enrolled': { 'zh-CN': '启用两步验证', en: 'Two-step verification enabled' },
  'auth.api_key_used': { 'zh-CN': '使用 API 密钥', en: 'API key used' },
  'spam.discarded': { 'zh-CN': '丢弃垃圾线索', en: 'Spam discarded' },
  'dead_letters.replayed': { 'zh-CN': '重放死信事件', en: 'Dead letters replayed' },
  'invoice.issued': { 'zh-CN': '开具发票', en: 'Invoice issued' },
  'journey.enrolled': { 'zh-CN': '进入客户旅程', en: 'Enrolled in a journey' },
  'journey.exited': { 'zh-CN': '退出客户旅程', en: 'Left a journey' },
};

/** What happened to a record: the part of an action after its record type (`ticket.status_changed`);
 * in Chinese a phrase with the record type in place of `{e}` (新建用户, 工单状态变更). */
const VERBS: Record<string, Words> = {
  created: { 'zh-CN': '新建{e}', en: 'created' },
  updated: { 'zh-CN': '更新{e}', en: 'updated' },
  saved: { 'zh-CN': '保存{e}', en: 'saved' },
  deleted: { 'zh-CN': '删除{e}', en: 'deleted' },
  restored: { 'zh-CN': '恢复{e}', en: 'restored' },
  merged: { 'zh-CN': '合并{e}', en: 'merged' },
  viewed: { 'zh-CN': '查看{e}', en: 'viewed' },
  status_changed: { 'zh-CN': '{e}状态变更', en: 'status changed' },
  stage_changed: { 'zh-CN': '{e}阶段变更', en: 'stage changed' },
  lifecycle_changed: { 'zh-CN': '{e}生命周期变更', en: 'lifecycle changed' },
  roles_changed: { 'zh-CN': '{e}角色变更', en: 'roles changed' },
  assigned: { 'zh-CN': '分配{e}', en: 'assigned' },
  escalated: { 'zh-CN': '升级{e}', en: 'escalated' },
  resolved: { 'zh-CN': '解决{e}', en: 'resolved' },
  reopened: { 'zh-CN': '重新打开{e}', en: 'reopened' },
  replied: { 'zh-CN': '回复{e}', en: 'replied' },
  note_added: { 'zh-CN': '{e}添加备注', en: 'note added' },
  article_linked: { 'zh-CN': '{e}关联文章', en: 'article linked' },
  complaint_reviewed: { 'zh-CN': '{e}投诉审核', en: 'complaint reviewed' },
  deactivated: { 'zh-CN': '停用{e}', en: 'deactivated' },
  reactivated: { 'zh-CN': '重新启用{e}', en: 'reactivated' },
  revoked: { 'zh-CN': '吊销{e}', en: 'revoked' },
  rotated: { 'zh-CN': '轮换{e}', en: 'rotated' },
  retired: { 'zh-CN': '停用{e}', en: 'retired' },
  published: { 'zh-CN': '发布{e}', en: 'published' },
  disabled: { 'zh-CN': '停用{e}', en: 'disabled' },
  defined: { 'zh-CN': '定义{e}', en: 'defined' },
  submitted: { 'zh-CN': '提交{e}', en: 'submitted' },
  approved: { 'zh-CN': '批准{e}', en: 'approved' },
  rejected: { 'zh-CN': '驳回{e}', en: 'rejected' },
  accepted: { 'zh-CN': '接受{e}', en: 'accepted' },
  superseded: { 'zh-CN': '{e}被替代', en: 'superseded' },
  won: { 'zh-CN': '{e}赢单', en: 'won' },
  lost: { 'zh-CN': '{e}输单', en: 'lost' },
  fulfilled: { 'zh-CN': '履行{e}', en: 'fulfilled' },
  cancelled: { 'zh-CN': '取消{e}', en: 'cancelled' },
  completed: { 'zh-CN': '完成{e}', en: 'completed' },
  converted: { 'zh-CN': '转化{e}', en: 'converted' },
  recorded: { 'zh-CN': '记录{e}', en: 'recorded' },
  sent: { 'zh-CN': '发送{e}', en: 'sent' },
  replayed: { 'zh-CN': '重放{e}', en: 'replayed' },
  edited: { 'zh-CN': '编辑{e}', en: 'edited' },
  issued: { 'zh-CN': '出库{e}', en: 'issued' },
  restocked: { 'zh-CN': '入库{e}', en: 'restocked' },
  delegated: { 'zh-CN': '委托{e}', en: 'delegated' },
  decided: { 'zh-CN': '{e}已决定', en: 'decided' },
  lines_set: { 'zh-CN': '{e}产品明细变更', en: 'lines set' },
  budget_submitted: { 'zh-CN': '{e}预算提交', en: 'budget submitted' },
  budget_approved: { 'zh-CN': '{e}预算批准', en: 'budget approved' },
  budget_rejected: { 'zh-CN': '{e}预算驳回', en: 'budget rejected' },
  cost_recorded: { 'zh-CN': '{e}记录费用', en: 'cost recorded' },
  members_added: { 'zh-CN': '{e}添加成员', en: 'members added' },
  sms_template_chosen: { 'zh-CN': '{e}选择短信模板', en: 'SMS template chosen' },
  recovered_from_spam: { 'zh-CN': '{e}从垃圾线索中恢复', en: 'recovered from spam' },
  // what the suite's events say happened (a rule's trigger picks them by these)
  linked: { 'zh-CN': '关联{e}', en: 'linked' },
  owner_changed: { 'zh-CN': '{e}负责人变更', en: 'owner changed' },
  reconciled: { 'zh-CN': '{e}数据核对', en: 'reconciled' },
  reconciliation_finished: { 'zh-CN': '{e}数据核对完成', en: 'reconciliation finished' },
  lead_converted: { 'zh-CN': '线索转为{e}', en: 'made from a lead' },
  lead_conversion_failed: { 'zh-CN': '线索转为{e}失败', en: 'not made from a lead' },
  conversion_requested: { 'zh-CN': '{e}申请转化', en: 'conversion requested' },
  conversion_failed: { 'zh-CN': '{e}转化失败', en: 'conversion failed' },
  logged: { 'zh-CN': '新增{e}', en: 'logged' },
  requested: { 'zh-CN': '发起{e}', en: 'requested' },
  do_not_contact_changed: { 'zh-CN': '{e}免打扰变更', en: 'do-not-contact changed' },
  renewal_due: { 'zh-CN': '{e}即将到期续约', en: 'renewal due' },
  exported: { 'zh-CN': '{e}已导出', en: 'exported' },
  paid: { 'zh-CN': '{e}已付清', en: 'paid' },
  enrolled: { 'zh-CN': '进入{e}', en: 'enrolled' },
  exited: { 'zh-CN': '退出{e}', en: 'exited' },
  finished: { 'zh-CN': '{e}结束', en: 'finished' },
  step_completed: { 'zh-CN': '{e}步骤完成', en: 'step completed' },
  queued: { 'zh-CN': '{e}进入发送队列', en: 'queued' },
  delivered: { 'zh-CN': '{e}已送达', en: 'delivered' },
  bounced: { 'zh-CN': '{e}被退回', en: 'bounced' },
  opened: { 'zh-CN': '{e}被打开', en: 'opened' },
  clicked: { 'zh-CN': '{e}被点击', en: 'clicked' },
  unsubscribed: { 'zh-CN': '{e}退订', en: 'unsubscribed' },
  key_revoked: { 'zh-CN': '{e}密钥吊销', en: 'key revoked' },
  membership_changed: { 'zh-CN': '{e}成员变更', en: 'membership changed' },
  answered: { 'zh-CN': '{e}已回答', en: 'answered' },
  reminder_due: { 'zh-CN': '{e}提醒到期', en: 'reminder due' },
  customer_message: { 'zh-CN': '{e}收到客户消息', en: 'message from the customer' },
  sla_warning: { 'zh-CN': '{e} SLA 即将超时', en: 'SLA at risk' },
  sla_breached: { 'zh-CN': '{e} SLA 已超时', en: 'SLA breached' },
};

/** `order_unit` → `OrderUnit`: an action's record part as the services name the record type. */
export const pascal = (snake: string) => snake.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** A record type in the language, e.g. `User` → 用户; an unknown one as it is. */
export function entityLabel(language: Language, entityType: string): string {
  return ENTITIES[entityType]?.[language] ?? entityType;
}

/** An action in the language: `auth.login_failed` → 登录失败, `user.created` → 新建用户, `ticket.status_changed` → 工单状态变更 /
 * Ticket status changed; an action whose record type or verb is unknown as it is. */
export function actionLabel(language: Language, action: string): string {
  const whole = ACTIONS[action];
  if (whole) return whole[language];
  const dot = action.indexOf('.');
  const entity = ENTITIES[pascal(action.slice(0, dot))];
  const verb = VERBS[action.slice(dot + 1)];
  if (dot < 1 || !entity || !verb) return action;
  return language === 'en' ? `${entity.en} ${verb.en}` : verb['zh-CN'].replace('{e}', entity['zh-CN']);
}

/** The console's page of a record, where it has one. */
const PAGES: Record<string, (id: string) => string> = {
  Account: (id) => `/accounts/${id}`,
  Lead: (id) => `/leads/${id}`,
  Opportunity: (id) => `/opportunities/${id}`,
  Quote: (id) => `/quotes/${id}`,
  Contract: (id) => `/contracts/${id}`,
  Order: (id) => `/orders/${id}`,
  Invoice: (id) => `/invoices/${id}`,
  Ticket: (id) => `/tickets/${id}`,
  Article: (id) => `/kb/${id}`,
  Campaign: (id) => `/campaigns/${id}`,
  Segment: (id) => `/marketing/segments/${id}`,
  Journey: (id) => `/marketing/journeys/${id}`,
  EmailTemplate: (id) => `/marketing/templates/${id}`,
  Workflow: (id) => `/automation/workflows/${id}`,
  Role: (key) => `/admin/roles/${key}`,
};

export function recordPath(entityType: string, entityId: string | null | undefined): string | null {
  return entityId ? (PAGES[entityType]?.(encodeURIComponent(entityId)) ?? null) : null;
}

/** A UUID shortened to its first eight characters; any other key (an email, a role's key) as it is. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
}
