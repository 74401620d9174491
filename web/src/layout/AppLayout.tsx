import {
  AccountBookOutlined,
  AimOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CalendarOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileTextOutlined,
  FilterOutlined,
  FundOutlined,
  GiftOutlined,
  LineChartOutlined,
  MailOutlined,
  MenuOutlined,
  MessageOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  ProjectOutlined,
  RadarChartOutlined,
  SafetyOutlined,
  ShoppingCartOutlined,
  SmileOutlined,
  TeamOutlined,
  UploadOutlined,
  UserOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { App, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Spin } from 'antd';
import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { can, currentRefreshToken, storeTokens } from '../api/session';
import { ChangePasswordModal } from '../features/auth/ChangePasswordModal';
import { LogoutMutation } from '../features/auth/operations';
import { useSession } from '../features/auth/useSession';
import { NotificationBell } from '../features/automation/NotificationBell';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/strings';

/** The administration screens, each shown to callers holding any of its permissions. */
const ADMIN_SCREENS: { path: string; label: MessageKey; permissions: string[] }[] = [
  { path: '/admin/users', label: 'nav.users', permissions: ['identity:user:create', 'identity:user:update'] },
  { path: '/admin/service-accounts', label: 'nav.serviceAccounts', permissions: ['identity:service_account:read'] },
  { path: '/admin/org', label: 'nav.org', permissions: ['identity:org_unit:create', 'identity:org_unit:update'] },
  { path: '/admin/roles', label: 'nav.roles', permissions: ['identity:role:read'] },
  { path: '/admin/custom-fields', label: 'nav.customFields', permissions: ['customer:custom_field:create'] },
  { path: '/admin/lead-rules', label: 'nav.leadRules', permissions: ['sales:lead_rule:update'] },
  { path: '/admin/pipelines', label: 'nav.pipelines', permissions: ['sales:pipeline:update'] },
  { path: '/admin/security', label: 'nav.security', permissions: ['identity:signing_key:read'] },
  { path: '/admin/audit', label: 'nav.audit', permissions: ['identity:audit:read'] },
  { path: '/admin/dead-letters', label: 'nav.deadLetters', permissions: ['identity:dead_letter:read'] },
  { path: '/admin/connectors', label: 'nav.connectors', permissions: ['automation:connector:read'] },
  { path: '/admin/approval-chains', label: 'nav.approvalChains', permissions: ['automation:approval_chain:read'] },
  { path: '/admin/service-teams', label: 'nav.serviceTeams', permissions: ['support:team:update'] },
  { path: '/admin/routing-rules', label: 'nav.routingRules', permissions: ['support:team:update'] },
  { path: '/admin/sla-policies', label: 'nav.slaPolicies', permissions: ['support:sla_policy:update'] },
  { path: '/admin/business-calendars', label: 'nav.businessCalendars', permissions: ['support:calendar:update'] },
  { path: '/admin/agent-shifts', label: 'nav.agentShifts', permissions: ['support:shift:update'] },
];

/** The automation screens (rules, their runs, webhooks, the call log, logged mail, one's notifications), each shown to callers holding its permission. */
const AUTOMATION_SCREENS: { path: string; label: MessageKey; permissions: string[] }[] = [
  { path: '/automation/workflows', label: 'nav.workflows', permissions: ['automation:workflow:read'] },
  { path: '/automation/runs', label: 'nav.workflowRuns', permissions: ['automation:workflow:read'] },
  { path: '/automation/webhooks', label: 'nav.webhooks', permissions: ['automation:webhook:read'] },
  { path: '/automation/calls', label: 'nav.calls', permissions: ['automation:call:read'] },
  { path: '/automation/mail', label: 'nav.loggedMail', permissions: ['automation:mail:read'] },
  { path: '/notifications', label: 'nav.notifications', permissions: ['automation:notification:read'] },
];

/** Side menu on desktop, a drawer on phones; header with the language switch and user menu. */
export function AppLayout() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const { pathname } = useLocation();
  const phone = !Grid.useBreakpoint().md;
  const [drawer, setDrawer] = useState(false);
  const [changing, setChanging] = useState(false);
  const [logout] = useMutation(LogoutMutation);
  const client = useApolloClient();

  const items = [
    { key: '/', icon: <DashboardOutlined />, label: <Link to="/">{t('nav.dashboard')}</Link> },
    { key: '/approvals', icon: <AuditOutlined />, label: <Link to="/approvals">{t('nav.approvals')}</Link> },
    can('customer:account:read') && {
      key: '/accounts',
      icon: <TeamOutlined />,
      label: <Link to="/accounts">{t('nav.accounts')}</Link>,
    },
    can('customer:task:read') && {
      key: '/tasks',
      icon: <CalendarOutlined />,
      label: <Link to="/tasks">{t('nav.tasks')}</Link>,
    },
    can('customer:account:import') && {
      key: '/imports',
      icon: <UploadOutlined />,
      label: <Link to="/imports">{t('nav.imports')}</Link>,
    },
    can('sales:lead:read') && {
      key: '/leads',
      icon: <AimOutlined />,
      label: <Link to="/leads">{t('nav.leads')}</Link>,
    },
    can('sales:opportunity:read') && {
      key: '/pipeline',
      icon: <ProjectOutlined />,
      label: <Link to="/pipeline">{t('nav.pipeline')}</Link>,
    },
    can('sales:opportunity:read') && {
      key: '/opportunities',
      icon: <FundOutlined />,
      label: <Link to="/opportunities">{t('nav.opportunities')}</Link>,
    },
    can('sales:quote:read') && {
      key: '/quotes',
      icon: <FileTextOutlined />,
      label: <Link to="/quotes">{t('nav.quotes')}</Link>,
    },
    can('sales:contract:read') && {
      key: '/contracts',
      icon: <AuditOutlined />,
      label: <Link to="/contracts">{t('nav.contracts')}</Link>,
    },
    can('sales:order:read') && {
      key: '/orders',
      icon: <ShoppingCartOutlined />,
      label: <Link to="/orders">{t('nav.orders')}</Link>,
    },
    can('sales:invoice:read') && {
      key: '/invoices',
      icon: <AccountBookOutlined />,
      label: <Link to="/invoices">{t('nav.invoices')}</Link>,
    },
    can('sales:payment:read') && {
      key: '/payments',
      icon: <WalletOutlined />,
      label: <Link to="/payments">{t('nav.payments')}</Link>,
    },
    can('sales:opportunity:read') && {
      key: '/analytics',
      icon: <BarChartOutlined />,
      label: <Link to="/analytics">{t('nav.analytics')}</Link>,
    },
    can('marketing:campaign:read') && {
      key: '/campaigns',
      icon: <NotificationOutlined />,
      label: <Link to="/campaigns">{t('nav.campaigns')}</Link>,
    },
    can('marketing:template:read') && {
      key: '/marketing/templates',
      icon: <MailOutlined />,
      label: <Link to="/marketing/templates">{t('nav.emailTemplates')}</Link>,
    },
    can('marketing:template:read') && {
      key: '/marketing/sms',
      icon: <MessageOutlined />,
      label: <Link to="/marketing/sms">{t('nav.smsTemplates')}</Link>,
    },
    can('marketing:segment:read') && {
      key: '/marketing/segments',
      icon: <FilterOutlined />,
      label: <Link to="/marketing/segments">{t('nav.segments')}</Link>,
    },
    can('marketing:journey:read') && {
      key: '/marketing/journeys',
      icon: <NodeIndexOutlined />,
      label: <Link to="/marketing/journeys">{t('nav.journeys')}</Link>,
    },
    can('marketing:consent:read') && {
      key: '/marketing/consent',
      icon: <SafetyOutlined />,
      label: <Link to="/marketing/consent">{t('nav.consent')}</Link>,
    },
    can('marketing:material:read') && {
      key: '/marketing/materials',
      icon: <GiftOutlined />,
      label: <Link to="/marketing/materials">{t('nav.materials')}</Link>,
    },
    can('marketing:intelligence:read') && {
      key: '/marketing/intelligence',
      icon: <RadarChartOutlined />,
      label: <Link to="/marketing/intelligence">{t('nav.intelligence')}</Link>,
    },
    can('support:ticket:read') && {
      key: '/tickets',
      icon: <CustomerServiceOutlined />,
      label: <Link to="/tickets">{t('nav.tickets')}</Link>,
    },
    can('support:analytics:read') && {
      key: '/service',
      icon: <LineChartOutlined />,
      label: <Link to="/service">{t('nav.serviceDashboard')}</Link>,
    },
    can('support:article:read') && {
      key: '/kb',
      icon: <BookOutlined />,
      label: <Link to="/kb">{t('nav.kb')}</Link>,
    },
    can('support:survey:read') && {
      key: '/surveys',
      icon: <SmileOutlined />,
      label: <Link to="/surveys">{t('nav.surveys')}</Link>,
    },
  ].filter((item) => !!item);
  const automation = AUTOMATION_SCREENS.filter((screen) => screen.permissions.some(can)).map((screen) => ({
    key: screen.path,
    label: <Link to={screen.path}>{t(screen.label)}</Link>,
  }));
  const admin = ADMIN_SCREENS.filter((screen) => screen.permissions.some(can)).map((screen) => ({
    key: screen.path,
    label: <Link to={screen.path}>{t(screen.label)}</Link>,
  }));
  const selected = [...items, ...automation, ...admin].filter((i) => i.key !== '/' && pathname.startsWith(i.key)).map((i) => i.key);
  const menu = (
    <Menu
      mode="inline"
      items={[
        ...items,
        ...(automation.length ? [{ key: 'automation', type: 'group' as const, label: t('nav.automation'), children: automation }] : []),
        ...(admin.length ? [{ key: 'admin', type: 'group' as const, label: t('nav.admin'), children: admin }] : []),
      ]}
      selectedKeys={selected.length ? selected : [pathname === '/' ? '/' : '']}
      onClick={() => setDrawer(false)}
    />
  );

  async function signOut() {
    const refreshToken = currentRefreshToken();
    if (refreshToken) await logout({ variables: { refreshToken } }).catch(() => undefined);
    storeTokens(null);
    await client.clearStore();
  }

  return (
    <App>
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={200} style={{ borderRight: '1px solid #f0f0f0' }}>
          <div style={{ padding: 16, fontWeight: 600 }}>{t('appName')}</div>
          <nav aria-label={t('appName')}>{menu}</nav>
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 12px', borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            {phone ? (
              <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawer(true)} />
            ) : (
              <span />
            )}
            <Flex gap={4} align="center">
              {can('automation:notification:read') && <NotificationBell />}
              <Button type="text" aria-label={`${t('lang.switch')} (${t('lang.label')})`} onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}>
                {t('lang.switch')}
              </Button>
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'password', label: t('user.changePassword'), onClick: () => setChanging(true) },
                    { key: 'signOut', label: t('user.signOut'), onClick: signOut },
                  ],
                }}
              >
                <Button type="text" icon={<UserOutlined />} aria-label={`${phone ? '' : session?.name} ${t('user.menu')}`.trim()}>
                  {!phone && session?.name}
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {phone && (
        <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} title={t('appName')} width={240}>
          <nav aria-label={t('appName')}>{menu}</nav>
        </Drawer>
      )}
      <ChangePasswordModal open={changing} onClose={() => setChanging(false)} />
    </Layout>
    </App>
  );
}
