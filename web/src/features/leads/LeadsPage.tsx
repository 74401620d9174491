import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { SOURCES, STATUSES, sourceLabel, statusLabel } from './labels';
import { LeadFormDialog } from './LeadFormDialog';
import { LeadsQuery } from './operations';

const FILTERS = ['search', 'status', 'source', 'ownerId'] as const;

/** Leads the caller may see: search by company or contact, filters and cursor pages, all in the URL
 * (the web form's leads are the `source=web_form` view). */
export default function LeadsPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { filter, set, page, after, hasPrevious } = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(LeadsQuery, { variables: { filter, after } });
  const users = useQuery(ActiveUsersQuery, { skip: !can('identity:user:read') });
  const shown = data ?? previousData;
  const [creating, setCreating] = useState(false);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('leads.title')}
        </Typography.Title>
        <Space wrap>
          {can('sales:lead:assign') && <Link to="/leads/spam">{s('spam.open')}</Link>}
          {can('sales:lead:create') && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {s('leads.new')}
            </Button>
          )}
        </Space>
      </Flex>
      {creating && <LeadFormDialog onClose={() => setCreating(false)} onCreated={() => void refetch()} />}
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('leads.search')}
          placeholder={s('leads.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 260px' }}
        />
        <Select
          aria-label={t('leads.filterStatus')}
          placeholder={t('leads.status')}
          allowClear
          value={filter.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))}
          style={{ flex: '0 1 130px' }}
        />
        <Select
          aria-label={s('leads.filterSource')}
          placeholder={t('leads.source')}
          allowClear
          value={filter.source}
          onChange={(value?: string) => set('source', value ?? null)}
          options={SOURCES.map((source) => ({ value: source, label: sourceLabel(s, source) }))}
          style={{ flex: '0 1 130px' }}
        />
        {users.data && (
          <Select
            aria-label={s('leads.filterOwner')}
            placeholder={s('leads.owner')}
            allowClear
            showSearch
            optionFilterProp="label"
            value={filter.ownerId}
            onChange={(value?: string) => set('ownerId', value ?? null)}
            options={userOptions(users.data)}
            style={{ flex: '0 1 160px' }}
          />
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.leads.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: s('leads.company'),
            dataIndex: 'company',
            render: (company: string, row) => <Link to={`/leads/${row.id}`}>{company}</Link>,
          },
          { title: s('leads.contactName'), dataIndex: 'contactName', responsive: ['sm'] },
          {
            title: t('leads.status'),
            dataIndex: 'status',
            render: (status: string) => <Tag>{statusLabel(t, status)}</Tag>,
          },
          { title: s('leads.score'), dataIndex: 'score', responsive: ['md'] },
          {
            title: t('leads.source'),
            dataIndex: 'source',
            responsive: ['md'],
            render: (source: string) => sourceLabel(s, source),
          },
          { title: s('leads.owner'), key: 'owner', responsive: ['lg'], render: (_, row) => row.owner?.displayName ?? s('leads.unassigned') },
          {
            title: t('leads.createdAt'),
            dataIndex: 'createdAt',
            responsive: ['lg'],
            render: (at: string) => new Date(at).toLocaleDateString(),
          },
        ]}
      />
      <ListFooter
        total={shown ? s('leads.total', { count: shown.leads.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.leads.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.leads.pageInfo.endCursor)}
      />
    </Space>
  );
}
