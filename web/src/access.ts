import { can } from './api/session';

/**
 * Who may open each screen: any one of its permissions, by the route's first path segments (the longest
 * listed prefix applies, `:id` standing for a record's id; a screen listed nowhere is anyone's). The menu
 * shows the screens a caller may open; one opened by its address without them says it is not the caller's to
 * see, rather than showing the errors of queries it may not send.
 */
const NEEDS: Record<string, string[]> = {
  accounts: ['customer:account:read'],
  'accounts/new': ['customer:account:create'],
  'accounts/:id/edit': ['customer:account:update'],
  tasks: ['customer:task:read'],
  imports: ['customer:account:import'],
  leads: ['sales:lead:read'],
  pipeline: ['sales:opportunity:read'],
  opportunities: ['sales:opportunity:read'],
  analytics: ['sales:opportunity:read'],
  quotes: ['sales:quote:read'],
  contracts: ['sales:contract:read'],
  orders: ['sales:order:read'],
  invoices: ['sales:invoice:read'],
  payments: ['sales:payment:read'],
  campaigns: ['marketing:campaign:read'],
  'marketing/templates': ['marketing:template:read'],
  'marketing/sms': ['marketing:template:read'],
  'marketing/segments': ['marketing:segment:read'],
  'marketing/journeys': ['marketing:journey:read'],
  'marketing/consent': ['marketing:consent:read'],
  'marketing/materials': ['marketing:material:read'],
  'marketing/intelligence': ['marketing:intelligence:read'],
  tickets: ['support:ticket:read'],
  service: ['support:analytics:read'],
  kb: ['support:article:read'],
  surveys: ['support:survey:read'],
  'admin/users': ['identity:user:create', 'identity:user:update'],
  'admin/service-accounts': ['identity:service_account:read'],
  'admin/org': ['identity:org_unit:create', 'identity:org_unit:update'],
  'admin/roles': ['identity:role:read'],
  'admin/custom-fields': ['customer:custom_field:create'],
  'admin/lead-rules': ['sales:lead_rule:update'],
  'admin/pipelines': ['sales:pipeline:update'],
  'admin/security': ['identity:signing_key:read'],
  'admin/audit': ['identity:audit:read'],
  'admin/dead-letters': ['identity:dead_letter:read'],
  'admin/connectors': ['automation:connector:read'],
  'admin/approval-chains': ['automation:approval_chain:read'],
  'admin/service-teams': ['support:team:update'],
  'admin/routing-rules': ['support:team:update'],
  'admin/sla-policies': ['support:sla_policy:update'],
  'admin/business-calendars': ['support:calendar:update'],
  'admin/agent-shifts': ['support:shift:update'],
  'automation/workflows': ['automation:workflow:read'],
  'automation/runs': ['automation:workflow:read'],
  'automation/webhooks': ['automation:webhook:read'],
  'automation/calls': ['automation:call:read'],
  'automation/mail': ['automation:mail:read'],
  notifications: ['automation:notification:read'],
};

/** The permissions one of which opens the screen at `path` (a route path or an address), or none needed. */
export function needs(path: string): string[] {
  const segments = path.replace(/^\/+/, '').split('/');
  for (let n = Math.min(3, segments.length); n > 0; n--) {
    const prefix = segments.slice(0, n);
    // `accounts/:id/edit` is listed as a route names it; an address has the record's id there
    const found = NEEDS[prefix.join('/')] ?? (n === 3 ? NEEDS[[prefix[0], ':id', prefix[2]].join('/')] : undefined);
    if (found) return found;
  }
  return [];
}

/** Whether the signed-in caller may open the screen at `path`. */
export function allowed(path: string): boolean {
  const wanted = needs(path);
  return wanted.length === 0 || wanted.some(can);
}
