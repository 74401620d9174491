import { useQuery } from '@apollo/client/react';
import { Alert, Row, Skeleton, Statistic, Table } from 'antd';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { actionLabel, shortId } from '../audit/labels';
import { AdminDashboardQuery } from './operations';
import { Panel } from './Panel';

/** What an administrator watches: users, whether the audit chain is intact, failed sign-ins and
 * lockouts. */
export default function AdminDashboard() {
  const { t, language } = useI18n();
  const { data, error, refetch } = useQuery(AdminDashboardQuery);
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const integrity = data.auditIntegrity;
  const events = [...data.failedLogins.edges, ...data.lockouts.edges]
    .map((e) => e.node)
    .sort((a, b) => b.seq - a.seq)
    .slice(0, 10);

  return (
    <Row gutter={[16, 16]}>
      <Panel title={t('dash.users')}>
        <Link to="/admin/users" aria-label={`${t('dash.openUsers')}: ${t('dash.users')} ${data.users.totalCount}`}>
          <Statistic title={t('dash.users')} value={data.users.totalCount} />
        </Link>
        <Link to="/admin/users?active=true" aria-label={`${t('dash.openUsers')}: ${t('dash.activeUsers')} ${data.active.totalCount}`}>
          <Statistic title={t('dash.activeUsers')} value={data.active.totalCount} />
        </Link>
      </Panel>
      <Panel title={t('dash.audit')}>
        <Alert
          showIcon
          type={integrity.valid ? 'success' : 'error'}
          message={
            integrity.valid
              ? t('dash.auditValid', { count: integrity.checked })
              : t('dash.auditBroken', { seq: integrity.firstBrokenSeq ?? '' })
          }
          action={can('identity:audit:read') && <Link to="/admin/audit">{t('dash.openAudit')}</Link>}
        />
      </Panel>
      <Panel title={t('dash.security')} wide>
        <Table
          rowKey="seq"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={events}
          locale={{ emptyText: t('dash.none') }}
          columns={[
            { title: t('dash.time'), dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString() },
            {
              title: t('dash.action'),
              dataIndex: 'action',
              render: (action: string) => (
                <Link to={`/admin/audit?action=${encodeURIComponent(action)}`} title={action} aria-label={`${t('dash.openEvent')}: ${actionLabel(language, action)}`}>
                  {actionLabel(language, action)}
                </Link>
              ),
            },
            { title: t('dash.actor'), key: 'actor', render: (_, row) => row.actor?.displayName ?? (row.entityId ? shortId(row.entityId) : '') },
          ]}
        />
      </Panel>
    </Row>
  );
}
