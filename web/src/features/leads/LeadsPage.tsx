import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { SOURCES, STATUSES, sourceLabel, statusLabel } from './labels';
import { AssigneesQuery, LeadsQuery } from './operations';

const FILTERS = ['search', 'status', 'source', 'ownerId'] as const;

/** Leads the caller may see: search by company or contact, filters and cursor pages, all in the URL
 * (the web form's leads are the `source=web_form` view). */
export default function LeadsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || null]));
  const cursors = params.getAll('page');
  const { data, previousData, loading, error, refetch } = useQuery(LeadsQuery, {
    variables: { filter, after: cursors.at(-1) ?? null },
  });
  const users = useQuery(AssigneesQuery, { skip: !can('identity:user:read') });
  const shown = data ?? previousData;

  function set(name: (typeof FILTERS)[number], value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  }

  function page(forward: boolean) {
    const next = new URLSearchParams(params);
    next.delete('page');
    const stack = forward ? [...cursors, shown!.leads.pageInfo.endCursor!] : cursors.slice(0, -1);
    stack.forEach((c) => next.append('page', c));
    setParams(next);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('leads.title')}
        </Typography.Title>
        {can('sales:lead:assign') && <Link to="/leads/spam">{t('spam.open')}</Link>}
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={t('leads.search')}
          placeholder={t('leads.search')}
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
          aria-label={t('leads.filterSource')}
          placeholder={t('leads.source')}
          allowClear
          value={filter.source}
          onChange={(value?: string) => set('source', value ?? null)}
          options={SOURCES.map((s) => ({ value: s, label: sourceLabel(t, s) }))}
          style={{ flex: '0 1 130px' }}
        />
        {users.data && (
          <Select
            aria-label={t('leads.filterOwner')}
            placeholder={t('leads.owner')}
            allowClear
            showSearch
            optionFilterProp="label"
            value={filter.ownerId}
            onChange={(value?: string) => set('ownerId', value ?? null)}
            options={users.data.users.edges.map(({ node }) => ({ value: node.id, label: node.displayName }))}
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
            title: t('leads.company'),
            dataIndex: 'company',
            render: (company: string, row) => <Link to={`/leads/${row.id}`}>{company}</Link>,
          },
          { title: t('leads.contactName'), dataIndex: 'contactName', responsive: ['sm'] },
          {
            title: t('leads.status'),
            dataIndex: 'status',
            render: (status: string) => <Tag>{statusLabel(t, status)}</Tag>,
          },
          { title: t('leads.score'), dataIndex: 'score', responsive: ['md'] },
          {
            title: t('leads.source'),
            dataIndex: 'source',
            responsive: ['md'],
            render: (source: string) => sourceLabel(t, source),
          },
          { title: t('leads.owner'), key: 'owner', responsive: ['lg'], render: (_, row) => row.owner?.displayName ?? t('leads.unassigned') },
          {
            title: t('leads.createdAt'),
            dataIndex: 'createdAt',
            responsive: ['lg'],
            render: (at: string) => new Date(at).toLocaleDateString(),
          },
        ]}
      />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <span role="status">{shown && t('leads.total', { count: shown.leads.totalCount })}</span>
        <Space>
          <Button disabled={!cursors.length} onClick={() => page(false)}>
            {t('accounts.prev')}
          </Button>
          <Button disabled={!shown?.leads.pageInfo.hasNextPage} onClick={() => page(true)}>
            {t('accounts.next')}
          </Button>
        </Space>
      </Flex>
    </Space>
  );
}
