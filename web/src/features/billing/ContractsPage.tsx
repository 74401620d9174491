import { useQuery } from '@apollo/client/react';
import { Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { Filters } from './Filters';
import { CONTRACT_STATUSES, contractStatusLabel } from './labels';
import { ContractsQuery } from './operations';

const FILTERS = ['status', 'accountId'] as const;

/** Contracts the caller may see, newest first, by status or one account's, paged in the URL. */
export default function ContractsPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(ContractsQuery, { variables: { ...list.filter, after: list.after } });
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('contracts.title')}
      </Typography.Title>
      <Filters
        status={list.filter.status}
        statuses={CONTRACT_STATUSES.map((s) => ({ value: s, label: contractStatusLabel(t, s) }))}
        onStatus={(value) => list.set('status', value)}
        narrowed={!!list.filter.accountId}
        onClear={list.clear}
      />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.contracts.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: s('contracts.number'), dataIndex: 'number', render: (n: string, c) => <Link to={`/contracts/${c.id}`}>{n}</Link> },
          { title: s('contracts.name'), dataIndex: 'title', responsive: ['sm'] },
          { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{contractStatusLabel(t, s)}</Tag> },
          { title: s('contracts.value'), key: 'value', render: (_, c) => money(c.value, c.currency) },
          { title: t('opps.account'), key: 'account', responsive: ['md'], render: (_, c) => c.account.name },
          { title: s('contracts.term'), key: 'term', responsive: ['lg'], render: (_, c) => `${c.startDate} ~ ${c.endDate}` },
          { title: t('opps.owner'), key: 'owner', responsive: ['lg'], render: (_, c) => c.owner.displayName },
        ]}
      />
      <ListFooter
        total={shown ? s('contracts.count', { count: shown.contracts.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.contracts.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.contracts.pageInfo.endCursor)}
      />
    </Space>
  );
}
