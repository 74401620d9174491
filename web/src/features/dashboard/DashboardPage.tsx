import { Typography } from 'antd';
import { lazy } from 'react';
import { can } from '../../api/session';
import { useI18n } from '../../i18n';
import { useSession } from '../auth/useSession';

const RepDashboard = lazy(() => import('./RepDashboard'));
const ManagerDashboard = lazy(() => import('./ManagerDashboard'));
const AdminDashboard = lazy(() => import('./AdminDashboard'));
const ServiceManagerDashboard = lazy(() => import('../service/ServiceDashboard'));
const AgentHome = lazy(() => import('../tickets/AgentHome'));
const MarketingHome = lazy(() => import('../marketing/MarketingHome'));

/** The home screen of the signed-in user's role. */
export default function DashboardPage() {
  const { t } = useI18n();
  const session = useSession()!;
  const roles = session.roles;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('dash.welcome', { name: session.name })}
      </Typography.Title>
      {roles.includes('admin') ? (
        <AdminDashboard />
      ) : roles.includes('sales_manager') ? (
        <ManagerDashboard />
      ) : roles.includes('service_manager') ? (
        <>
          <AgentHome me={session.sub} />
          <ServiceManagerDashboard />
        </>
      ) : roles.includes('sales_rep') ? (
        <RepDashboard me={session.sub} />
      ) : roles.includes('marketing_manager') || roles.includes('marketing') ? (
        <MarketingHome me={session.sub} manager={roles.includes('marketing_manager')} />
      ) : can('support:ticket:update') ? (
        <AgentHome me={session.sub} />
      ) : (
        <Typography.Paragraph>{t('dash.general')}</Typography.Paragraph>
      )}
    </>
  );
}
