import { useQuery } from '@apollo/client/react';
import { Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { Filters } from './Filters';
import { AGING_BUCKETS, INVOICE_STATUSES, invoiceStatusLabel } from './labels';
import { InvoicesQuery } from './operations';

const FILTERS = ['status', 'agingBucket', 'accountId', 'orderId'] as const;

/** Invoices the caller may see, newest first: by status, by receivables-aging bucket (where the aging
 * chart leads), one account's or one order's, paged in the URL. */
export default function InvoicesPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(InvoicesQuery, { variables: { ...list.filter, after: list.after } });
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('invoices.title')}
        </Typography.Title>
        {can('sales:payment:read') && <Link to="/payments">{s('invoices.payments')}</Link>}
      </Flex>
      <Filters
        status={list.filter.status}
        statuses={INVOICE_STATUSES.map((s) => ({ value: s, label: invoiceStatusLabel(t, s) }))}
        onStatus={(value) => list.set('status', value)}
        narrowed={!!(list.filter.accountId || list.filter.orderId)}
        onClear={list.clear}
      >
        <Select
          aria-label={s('invoices.filterAging')}
          placeholder={s('invoices.aging')}
          allowClear
          value={list.filter.agingBucket}
          onChange={(value?: string) => list.set('agingBucket', value ?? null)}
          options={AGING_BUCKETS.map((b) => ({ value: b, label: t('invoices.bucket', { bucket: b }) }))}
          style={{ flex: '0 1 170px', minWidth: 130 }}
        />
      </Filters>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.invoices.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: s('invoices.number'), dataIndex: 'number', render: (n: string, i) => <Link to={`/invoices/${i.id}`}>{n}</Link> },
          { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{invoiceStatusLabel(t, s)}</Tag> },
          { title: s('invoices.outstanding'), key: 'outstanding', render: (_, i) => money(i.outstanding, i.currency) || `0 ${i.currency}` },
          { title: s('invoices.amount'), key: 'amount', responsive: ['md'], render: (_, i) => money(i.amount, i.currency) },
          { title: s('invoices.dueOn'), dataIndex: 'dueOn', responsive: ['sm'] },
          { title: t('opps.account'), key: 'account', responsive: ['md'], render: (_, i) => i.account.name },
          { title: t('opps.owner'), key: 'owner', responsive: ['lg'], render: (_, i) => i.owner.displayName },
        ]}
      />
      <ListFooter
        total={shown ? s('invoices.count', { count: shown.invoices.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.invoices.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.invoices.pageInfo.endCursor)}
      />
    </Space>
  );
}
