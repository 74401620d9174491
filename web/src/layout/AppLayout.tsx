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
import { allowed } from '../access';
import { currentRefreshToken, storeTokens } from '../api/session';
import { ChangePasswordModal } from '../features/auth/ChangePasswordModal';
import { LogoutMutation } from '../features/auth/operations';
import { useSession } from '../features/auth/useSession';
import { NotificationBell } from '../features/automation/NotificationBell';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/strings';

/** The administration screens, each shown to callers it opens for (`access.ts`). */
const ADMIN_SCREENS: { path: string; label: MessageKey }[] = [
  { path: '/admin/users', label: 'nav.users' },
  { path: '/admin/service-accounts', label: 'nav.serviceAccounts' },
  { path: '/admin/org', label: 'nav.org' },
  { path: '/admin/roles', label: 'nav.roles' },
  { path: '/admin/custom-fields', label: 'nav.customFields' },
  { path: '/admin/lead-rules', label: 'nav.leadRules' },
  { path: '/admin/pipelines', label: 'nav.pipelines' },
  { path: '/admin/security', label: 'nav.security' },
  { path: '/admin/audit', label: 'nav.audit' },
  { path: '/admin/dead-letters', label: 'nav.deadLetters' },
  { path: '/admin/connectors', label: 'nav.connectors' },
  { path: '/admin/approval-chains', label: 'nav.approvalChains' },
  { path: '/admin/service-teams', label: 'nav.serviceTeams' },
  { path: '/admin/routing-rules', label: 'nav.routingRules' },
  { path: '/admin/sla-policies', label: 'nav.slaPolicies' },
  { path: '/admin/business-calendars', label: 'nav.businessCalendars' },
  { path: '/admin/agent-shifts', label: 'nav.agentShifts' },
];

/** The automation screens (rules, their runs, webhooks, the call log, logged mail, one's notifications), each shown
 * to callers it opens for (`access.ts`). */
const AUTOMATION_SCREENS: { path: string; label: MessageKey }[] = [
  { path: '/automation/workflows', label: 'nav.workflows' },
  { path: '/automation/runs', label: 'nav.workflowRuns' },
  { path: '/automation/webhooks', label: 'nav.webhooks' },
  { path: '/automation/calls', label: 'nav.calls' },
  { path: '/automation/mail', label: 'nav.loggedMail' },
  { path: '/notifications', label: 'nav.notifications' },
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
    allowed('/accounts') && {
      key: '/accounts',
      icon: <TeamOutlined />,
      label: <Link to="/accounts">{t('nav.accounts')}</Link>,
    },
    allowed('/tasks') && {
      key: '/tasks',
      icon: <CalendarOutlined />,
      label: <Link to="/tasks">{t('nav.tasks')}</Link>,
    },
    allowed('/imports') && {
      key: '/imports',
      icon: <UploadOutlined />,
      label: <Link to="/imports">{t('nav.imports')}</Link>,
    },
    allowed('/leads') && {
      key: '/leads',
      icon: <AimOutlined />,
      label: <Link to="/leads">{t('nav.leads')}</Link>,
    },
    allowed('/pipeline') && {
      key: '/pipeline',
      icon: <ProjectOutlined />,
      label: <Link to="/pipeline">{t('nav.pipeline')}</Link>,
    },
    allowed('/opportunities') && {
      key: '/opportunities',
      icon: <FundOutlined />,
      label: <Link to="/opportunities">{t('nav.opportunities')}</Link>,
    },
    allowed('/quotes') && {
      key: '/quotes',
      icon: <FileTextOutlined />,
      label: <Link to="/quotes">{t('nav.quotes')}</Link>,
    },
    allowed('/contracts') && {
      key: '/contracts',
      icon: <AuditOutlined />,
      label: <Link to="/contracts">{t('nav.contracts')}</Link>,
    },
    allowed('/orders') && {
      key: '/orders',
      icon: <ShoppingCartOutlined />,
      label: <Link to="/orders">{t('nav.orders')}</Link>,
    },
    allowed('/invoices') && {
      key: '/invoices',
      icon: <AccountBookOutlined />,
      label: <Link to="/invoices">{t('nav.invoices')}</Link>,
    },
    allowed('/payments') && {
      key: '/payments',
      icon: <WalletOutlined />,
      label: <Link to="/payments">{t('nav.payments')}</Link>,
    },
    allowed('/analytics') && {
      key: '/analytics',
      icon: <BarChartOutlined />,
      label: <Link to="/analytics">{t('nav.analytics')}</Link>,
    },
    allowed('/campaigns') && {
      key: '/campaigns',
      icon: <NotificationOutlined />,
      label: <Link to="/campaigns">{t('nav.campaigns')}</Link>,
    },
    allowed('/marketing/templates') && {
      key: '/marketing/templates',
      icon: <MailOutlined />,
      label: <Link to="/marketing/templates">{t('nav.emailTemplates')}</Link>,
    },
    allowed('/marketing/sms') && {
      key: '/marketing/sms',
      icon: <MessageOutlined />,
      label: <Link to="/marketing/sms">{t('nav.smsTemplates')}</Link>,
    },
    allowed('/marketing/segments') && {
      key: '/marketing/segments',
      icon: <FilterOutlined />,
      label: <Link to="/marketing/segments">{t('nav.segments')}</Link>,
    },
    allowed('/marketing/journeys') && {
      key: '/marketing/journeys',
      icon: <NodeIndexOutlined />,
      label: <Link to="/marketing/journeys">{t('nav.journeys')}</Link>,
    },
    allowed('/marketing/consent') && {
      key: '/marketing/consent',
      icon: <SafetyOutlined />,
      label: <Link to="/marketing/consent">{t('nav.consent')}</Link>,
    },
    allowed('/marketing/materials') && {
      key: '/marketing/materials',
      icon: <GiftOutlined />,
      label: <Link to="/marketing/materials">{t('nav.materials')}</Link>,
    },
    allowed('/marketing/intelligence') && {
      key: '/marketing/intelligence',
      icon: <RadarChartOutlined />,
      label: <Link to="/marketing/intelligence">{t('nav.intelligence')}</Link>,
    },
    allowed('/tickets') && {
      key: '/tickets',
      icon: <CustomerServiceOutlined />,
      label: <Link to="/tickets">{t('nav.tickets')}</Link>,
    },
    allowed('/service') && {
      key: '/service',
      icon: <LineChartOutlined />,
      label: <Link to="/service">{t('nav.serviceDashboard')}</Link>,
    },
    allowed('/kb') && {
      key: '/kb',
      icon: <BookOutlined />,
      label: <Link to="/kb">{t('nav.kb')}</Link>,
    },
    allowed('/surveys') && {
      key: '/surveys',
      icon: <SmileOutlined />,
      label: <Link to="/surveys">{t('nav.surveys')}</Link>,
    },
  ].filter((item) => !!item);
  const automation = AUTOMATION_SCREENS.filter((screen) => allowed(screen.path)).map((screen) => ({
    key: screen.path,
    label: <Link to={screen.path}>{t(screen.label)}</Link>,
  }));
  const admin = ADMIN_SCREENS.filter((screen) => allowed(screen.path)).map((screen) => ({
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
              {allowed('/notifications') && <NotificationBell />}
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
