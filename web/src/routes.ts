/**
 * The signed-in screens, each its own chunk. On a page load the current screen's code (and the
 * data it shows first, where it says how) is asked for at once, alongside the session refresh,
 * rather than one after the other once each piece has rendered.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { matchRoutes, type Params } from 'react-router-dom';

interface Screen {
  path: string;
  load: () => Promise<{ default: ComponentType }>;
  /** Sends the screen's first query (settled once sent, not answered); it waits for the session
   * being restored. */
  data?: (params: Params) => Promise<void>;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
}

const loadLayout = once(() => import('./layout/AppLayout').then((m) => ({ default: m.AppLayout })));

const SCREENS = (
  [
  { path: '', load: () => import('./features/dashboard/DashboardPage') },
  { path: 'accounts', load: () => import('./features/accounts/AccountsPage') },
  { path: 'accounts/new', load: () => import('./features/accounts/AccountFormPage') },
  { path: 'accounts/merge', load: () => import('./features/accounts/MergePage') },
  {
    path: 'accounts/:id',
    load: () => import('./features/accounts/AccountPage'),
    data: ({ id }) => import('./features/accounts/prefetch').then((m) => void m.prefetchAccount(id!)),
  },
  { path: 'accounts/:id/edit', load: () => import('./features/accounts/AccountFormPage') },
  { path: 'imports', load: () => import('./features/imports/ImportPage') },
  { path: 'tasks', load: () => import('./features/tasks/TasksPage') },
  { path: 'leads', load: () => import('./features/leads/LeadsPage') },
  { path: 'leads/spam', load: () => import('./features/leads/SpamPage') },
  { path: 'leads/:id', load: () => import('./features/leads/LeadPage') },
  { path: 'pipeline', load: () => import('./features/opportunities/PipelineBoardPage') },
  { path: 'opportunities', load: () => import('./features/opportunities/OpportunitiesPage') },
  { path: 'opportunities/:id', load: () => import('./features/opportunities/OpportunityPage') },
  { path: 'admin/users', load: () => import('./features/users/UsersPage') },
  { path: 'admin/service-accounts', load: () => import('./features/users/ServiceAccountsPage') },
  { path: 'admin/org', load: () => import('./features/org/OrgUnitsPage') },
  { path: 'admin/roles', load: () => import('./features/roles/RolesPage') },
  { path: 'admin/roles/new', load: () => import('./features/roles/RoleEditorPage') },
  { path: 'admin/roles/:key', load: () => import('./features/roles/RoleEditorPage') },
  { path: 'admin/custom-fields', load: () => import('./features/settings/CustomFieldsPage') },
  { path: 'admin/lead-rules', load: () => import('./features/settings/LeadRulesPage') },
  { path: 'admin/pipelines', load: () => import('./features/settings/PipelinesPage') },
  { path: 'admin/security', load: () => import('./features/settings/SecurityPage') },
  { path: 'admin/audit', load: () => import('./features/audit/AuditLogPage') },
  { path: 'admin/dead-letters', load: () => import('./features/audit/DeadLettersPage') },
  { path: 'approvals', load: () => import('./features/approvals/MyApprovalsPage') },
  { path: 'admin/approval-chains', load: () => import('./features/approvals/ApprovalChainsPage') },
  { path: 'quotes', load: () => import('./features/quotes/QuotesPage') },
  { path: 'quotes/new', load: () => import('./features/quotes/QuoteBuilderPage') },
  { path: 'quotes/:id', load: () => import('./features/quotes/QuotePage') },
  { path: 'contracts', load: () => import('./features/billing/ContractsPage') },
  { path: 'contracts/:id', load: () => import('./features/billing/ContractPage') },
  { path: 'orders', load: () => import('./features/billing/OrdersPage') },
  { path: 'orders/:id', load: () => import('./features/billing/OrderPage') },
  { path: 'invoices', load: () => import('./features/billing/InvoicesPage') },
  { path: 'invoices/:id', load: () => import('./features/billing/InvoicePage') },
  { path: 'payments', load: () => import('./features/billing/PaymentsPage') },
  { path: 'analytics', load: () => import('./features/analytics/AnalyticsPage') },
  { path: 'service', load: () => import('./features/service/ServiceDashboardPage') },
  { path: 'kb', load: () => import('./features/service/KnowledgeBasePage') },
  { path: 'kb/new', load: () => import('./features/service/ArticleEditorPage') },
  { path: 'kb/:id', load: () => import('./features/service/ArticlePage') },
  { path: 'kb/:id/edit', load: () => import('./features/service/ArticleEditorPage') },
  { path: 'surveys', load: () => import('./features/service/SurveysPage') },
  { path: 'admin/service-teams', load: () => import('./features/service/admin/ServiceTeamsPage') },
  { path: 'admin/routing-rules', load: () => import('./features/service/admin/RoutingRulesPage') },
  { path: 'admin/sla-policies', load: () => import('./features/service/admin/SlaPoliciesPage') },
  { path: 'admin/business-calendars', load: () => import('./features/service/admin/BusinessCalendarsPage') },
  { path: 'admin/agent-shifts', load: () => import('./features/service/admin/AgentShiftsPage') },
  { path: 'campaigns', load: () => import('./features/marketing/CampaignsPage') },
  { path: 'campaigns/new', load: () => import('./features/marketing/CampaignFormPage') },
  { path: 'campaigns/:id', load: () => import('./features/marketing/CampaignPage') },
  { path: 'campaigns/:id/edit', load: () => import('./features/marketing/CampaignFormPage') },
  { path: 'marketing/templates', load: () => import('./features/marketing/TemplatesPage') },
  { path: 'marketing/templates/new', load: () => import('./features/marketing/TemplateEditorPage') },
  { path: 'marketing/templates/:id', load: () => import('./features/marketing/TemplateEditorPage') },
  { path: 'marketing/segments', load: () => import('./features/marketing/SegmentsPage') },
  { path: 'marketing/segments/new', load: () => import('./features/marketing/SegmentPage') },
  { path: 'marketing/segments/:id', load: () => import('./features/marketing/SegmentPage') },
  { path: 'marketing/journeys', load: () => import('./features/marketing/JourneysPage') },
  { path: 'marketing/journeys/new', load: () => import('./features/marketing/JourneyPage') },
  { path: 'marketing/journeys/:id', load: () => import('./features/marketing/JourneyPage') },
  { path: 'marketing/consent', load: () => import('./features/marketing/ConsentPage') },
  { path: 'marketing/sms', load: () => import('./features/marketing/sms/SmsTemplatesPage') },
  { path: 'marketing/intelligence', load: () => import('./features/intelligence/IntelligencePage') },
  { path: 'marketing/materials', load: () => import('./features/materials/MaterialsPage') },
  { path: 'tickets', load: () => import('./features/tickets/TicketsPage') },
  { path: 'tickets/new', load: () => import('./features/tickets/NewTicketPage') },
  { path: 'tickets/:id', load: () => import('./features/tickets/TicketPage') },
  { path: 'automation/workflows', load: () => import('./features/automation/WorkflowsPage') },
  { path: 'automation/workflows/new', load: () => import('./features/automation/WorkflowPage') },
  { path: 'automation/workflows/:id', load: () => import('./features/automation/WorkflowPage') },
  { path: 'automation/runs', load: () => import('./features/automation/RunsPage') },
  { path: 'automation/webhooks', load: () => import('./features/automation/WebhooksPage') },
  { path: 'automation/calls', load: () => import('./features/connectors/CallsPage') },
  { path: 'automation/mail', load: () => import('./features/connectors/LoggedMailPage') },
  { path: 'admin/connectors', load: () => import('./features/connectors/ConnectorStatusPage') },
  { path: 'notifications', load: () => import('./features/automation/NotificationsPage') },
  { path: '*', load: () => import('./components/NotFoundPage') },
  ] satisfies Screen[] as Screen[]
).map((screen) => ({ ...screen, load: once(screen.load) }));

export const AppLayout = lazy(loadLayout);

/** The screens as `Route`s take them: path (empty for the home screen) and lazy page. */
export const screens: { path: string; Page: LazyExoticComponent<ComponentType> }[] = SCREENS.map(({ path, load }) => ({
  path,
  Page: lazy(load),
}));

/** Whether `pathname` is one of the console's screens, not the catch-all "not found" (`/login`, a typo). */
export function isScreen(pathname: string): boolean {
  return !!matchRoutes(SCREENS.filter((screen) => screen.path !== '*').map((screen) => ({ path: screen.path || '/' })), pathname);
}

/** Starts loading the layout, the screen at `pathname` and its first data. */
export function preload(pathname: string): void {
  const [match] = matchRoutes(SCREENS.map((screen, index) => ({ path: screen.path || '/', id: String(index) })), pathname) ?? [];
  const screen = match && SCREENS[Number(match.route.id)];
  // the query's small chunk is asked for first, so that it leaves as soon as the token is there;
  // the layout's and the screen's come right behind it, not once it has been evaluated: on a first
  // visit they are many files, which the browser fetches only six at a time
  void screen?.data?.(match!.params).catch(() => undefined);
  void loadLayout();
  void screen?.load();
}
