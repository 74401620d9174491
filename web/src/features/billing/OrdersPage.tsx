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
import { ORDER_STATUSES, orderStatusLabel } from './labels';
import { OrdersQuery } from './operations';

const FILTERS = ['status', 'accountId'] as const;

/** Orders the caller may see, newest first, by status or one account's, paged in the URL. */
export default function OrdersPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(OrdersQuery, { variables: { ...list.filter, after: list.after } });
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('orders.title')}
      </Typography.Title>
      <Filters
        status={list.filter.status}
        statuses={ORDER_STATUSES.map((s) => ({ value: s, label: orderStatusLabel(t, s) }))}
        onStatus={(value) => list.set('status', value)}
        narrowed={!!list.filter.accountId}
        onClear={list.clear}
      />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.orders.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: s('orders.number'), dataIndex: 'number', render: (n: string, o) => <Link to={`/orders/${o.id}`}>{n}</Link> },
          { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{orderStatusLabel(t, s)}</Tag> },
          { title: t('quotes.total'), key: 'total', render: (_, o) => money(o.total, o.currency) },
          { title: s('orders.invoiced'), key: 'invoiced', responsive: ['md'], render: (_, o) => money(o.invoiced, o.currency) },
          { title: t('opps.account'), key: 'account', responsive: ['sm'], render: (_, o) => o.account.name },
          { title: t('opps.owner'), key: 'owner', responsive: ['lg'], render: (_, o) => o.owner.displayName },
        ]}
      />
      <ListFooter
        total={shown ? s('orders.count', { count: shown.orders.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.orders.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.orders.pageInfo.endCursor)}
      />
    </Space>
  );
}
