import { useQuery } from '@apollo/client/react';
import { Alert, Flex, Input, Space, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { actionLabel, entityLabel, recordPath, shortId } from './labels';
import { strings } from './strings';
import { AuditLogQuery } from './operations';

const TEXT_FILTERS = ['action', 'entityType', 'entityId', 'actorId'] as const;
const FILTERS = [...TEXT_FILTERS, 'since', 'until'] as const;

/** The local calendar day of an ISO instant, as a date input shows it. */
function localDay(iso: string): string {
  const at = new Date(iso);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
}

/** Audit records newest first, filtered and paged in the URL, under the hash chain's verdict. */
export default function AuditLogPage() {
  const { t, language } = useI18n();
  const s = useStrings(strings);
  const { filter, set, page, after, hasPrevious } = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(AuditLogQuery, { variables: { filter, after } });
  const shown = data ?? previousData;
  const integrity = shown?.auditIntegrity;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.audit')}
      </Typography.Title>
      {integrity && (
        <Alert
          showIcon
          role="status"
          type={integrity.valid ? 'success' : 'error'}
          message={integrity.valid ? t('dash.auditValid', { count: integrity.checked }) : t('dash.auditBroken', { seq: integrity.firstBrokenSeq ?? '' })}
        />
      )}
      <Flex wrap gap={8}>
        {TEXT_FILTERS.map((name) => (
          <Input.Search
            key={`${name}-${filter[name] ?? ''}`}
            aria-label={s(`audit.${name}`)}
            placeholder={s(`audit.${name}`)}
            defaultValue={filter[name] ?? ''}
            allowClear
            onSearch={(value) => set(name, value.trim())}
            style={{ flex: '1 1 160px' }}
          />
        ))}
        {(['since', 'until'] as const).map((name) => (
          <Input
            key={name}
            type="date"
            aria-label={s(`audit.${name}`)}
            value={filter[name] ? localDay(filter[name]) : ''}
            onChange={(e) => set(name, e.target.value ? new Date(`${e.target.value}T${name === 'since' ? '00:00:00' : '23:59:59.999'}`).toISOString() : null)}
            style={{ flex: '1 1 140px' }}
          />
        ))}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {!(error && !shown) && (
        <>
          <Table
            rowKey="seq"
            loading={loading}
            dataSource={shown?.auditLog.edges.map((e) => e.node) ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{
              rowExpandable: (row) => Object.keys(row.changes as object).length > 0 || Object.keys(row.detail as object).length > 0,
              expandedRowRender: (row) => (
                <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>{JSON.stringify({ changes: row.changes, detail: row.detail }, null, 2)}</pre>
              ),
            }}
            columns={[
              { title: t('dash.time'), dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString() },
              // actions and record types in words (the code, which the filters take, on hover); ids shortened, linked where the console has the record's page
              { title: s('audit.action'), dataIndex: 'action', render: (action: string) => <span title={action}>{actionLabel(language, action)}</span> },
              {
                title: s('audit.entityType'),
                dataIndex: 'entityType',
                responsive: ['sm'],
                render: (type: string) => <span title={type}>{entityLabel(language, type)}</span>,
              },
              {
                title: s('audit.entityId'),
                dataIndex: 'entityId',
                responsive: ['lg'],
                render: (id: string | null, row) => {
                  if (!id) return '';
                  const path = recordPath(row.entityType, id);
                  const label = s('audit.openRecord', { type: entityLabel(language, row.entityType), id });
                  return path ? (
                    <Link to={path} title={id} aria-label={label}>
                      {shortId(id)}
                    </Link>
                  ) : (
                    <Typography.Text title={id} copyable={{ text: id }} style={{ fontFamily: 'monospace' }}>
                      {shortId(id)}
                    </Typography.Text>
                  );
                },
              },
              { title: t('dash.actor'), key: 'actor', responsive: ['md'], render: (_, row) => row.actor?.displayName ?? '' },
              { title: s('audit.service'), dataIndex: 'service', responsive: ['lg'] },
            ]}
          />
          <ListFooter
            total={shown ? s('audit.total', { count: shown.auditLog.totalCount }) : null}
            hasPrevious={hasPrevious}
            hasNext={!!shown?.auditLog.pageInfo.hasNextPage}
            onPage={(forward) => page(forward, shown?.auditLog.pageInfo.endCursor)}
          />
        </>
      )}
    </Space>
  );
}
