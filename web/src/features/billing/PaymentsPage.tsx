import { useQuery } from '@apollo/client/react';
import { Button, DatePicker, Flex, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import { useListParams } from '../../components/useListParams';
import type { PaymentsQuery as Result } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { PAYMENT_METHODS, paymentMethodLabel } from './labels';
import { PaymentsQuery } from './operations';
import { strings } from './strings';

const FILTERS = ['method', 'from', 'to', 'invoiceId', 'accountId'] as const;
type Payment = Result['payments']['edges'][number]['node'];

/** Payments across invoices, newest recorded first: by method and date received, one invoice's or one
 * account's (where a link brought the caller), paged in the URL; the page sorts, filters and exports. */
export default function PaymentsPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(PaymentsQuery, {
    variables: { filter: list.filter, after: list.after },
  });
  const shown = data ?? previousData;
  const rows = useMemo(() => shown?.payments.edges.map((e) => e.node) ?? [], [shown]);
  const columns: ReportColumn<Payment>[] = useMemo(
    () => [
      { key: 'receivedOn', title: s('invoices.receivedOn'), value: (p) => p.receivedOn },
      {
        key: 'invoice',
        title: s('payments.invoice'),
        value: (p) => p.invoiceNumber,
        render: (p) => <Link to={`/invoices/${p.invoiceId}`}>{p.invoiceNumber}</Link>,
      },
      {
        key: 'account',
        title: s('payments.account'),
        value: (p) => p.account.name,
        render: (p) => <Link to={`/accounts/${p.account.id}`}>{p.account.name}</Link>,
      },
      { key: 'amount', title: s('payments.amount'), value: (p) => Number(p.amount), render: (p) => Number(p.amount).toLocaleString(undefined, { minimumFractionDigits: 2 }) },
      { key: 'currency', title: s('payments.currency'), value: (p) => p.currency },
      { key: 'method', title: s('invoices.method'), value: (p) => paymentMethodLabel(t, p.method) },
      { key: 'reference', title: s('invoices.reference'), value: (p) => p.reference },
    ],
    [t, s],
  );
  const date = (name: 'from' | 'to') => (
    <DatePicker
      aria-label={s(`payments.${name}`)}
      placeholder={s(`payments.${name}`)}
      value={list.filter[name] ? dayjs(list.filter[name]) : null}
      onChange={(value) => list.set(name, value ? value.format('YYYY-MM-DD') : null)}
      style={{ flex: '0 1 160px', minWidth: 130 }}
    />
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('payments.title')}
      </Typography.Title>
      <Flex wrap gap={8} align="center">
        <Select
          aria-label={s('payments.filterMethod')}
          placeholder={s('invoices.method')}
          allowClear
          value={list.filter.method}
          onChange={(value?: string) => list.set('method', value ?? null)}
          options={PAYMENT_METHODS.map((m) => ({ value: m, label: paymentMethodLabel(t, m) }))}
          style={{ flex: '0 1 160px', minWidth: 120 }}
        />
        {date('from')}
        {date('to')}
        {(list.filter.invoiceId || list.filter.accountId) && (
          <Button size="small" onClick={list.clear}>
            {s('payments.all')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <ReportTable
        name={`payments-${list.filter.from ?? ''}-${list.filter.to ?? ''}`.replace(/-+$/, '')}
        caption={s('payments.caption')}
        rows={rows}
        rowKey={(p) => p.id}
        columns={columns}
        loading={loading}
      />
      <ListFooter
        total={shown ? s('payments.count', { count: shown.payments.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.payments.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.payments.pageInfo.endCursor)}
      />
    </Space>
  );
}
