import { useQuery } from '@apollo/client/react';
import { Alert, Row, Statistic, Table } from 'antd';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { useI18n } from '../../i18n';
import { actionLabel, shortId } from '../audit/labels';
import { AdminUsersCountQuery, AuditIntegrityQuery, SecurityEventsQuery } from './operations';
import { Loaded, Panel } from './Panel';

/** What an administrator watches: users, whether the audit chain is intact, failed sign-ins and
 * lockouts; each card asks for its own figures, so one that fails leaves the others standing. */
export default function AdminDashboard() {
  return (
    <Row gutter={[16, 16]}>
      <Users />
      <Integrity />
      <Security />
    </Row>
  );
}

function Users() {
  const { t } = useI18n();
  const result = useQuery(AdminUsersCountQuery);
  return (
    <Panel title={t('dash.users')}>
      <Loaded result={result}>
        {({ users, active }) => (
          <>
            <Link to="/admin/users" aria-label={`${t('dash.openUsers')}: ${t('dash.users')} ${users.totalCount}`}>
              <Statistic title={t('dash.users')} value={users.totalCount} />
            </Link>
            <Link to="/admin/users?active=true" aria-label={`${t('dash.openUsers')}: ${t('dash.activeUsers')} ${active.totalCount}`}>
              <Statistic title={t('dash.activeUsers')} value={active.totalCount} />
            </Link>
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function Integrity() {
  const { t } = useI18n();
  const result = useQuery(AuditIntegrityQuery);
  return (
    <Panel title={t('dash.audit')}>
      <Loaded result={result}>
        {({ auditIntegrity: integrity }) => (
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
        )}
      </Loaded>
    </Panel>
  );
}

function Security() {
  const { t, language } = useI18n();
  const result = useQuery(SecurityEventsQuery);
  return (
    <Panel title={t('dash.security')} wide>
      <Loaded result={result}>
        {({ failedLogins, lockouts }) => (
          <Table
            rowKey="seq"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={[...failedLogins.edges, ...lockouts.edges]
              .map((e) => e.node)
              .sort((a, b) => b.seq - a.seq)
              .slice(0, 10)}
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
        )}
      </Loaded>
    </Panel>
  );
}
