import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { TextDialog } from '../../components/TextDialog';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { invoiceStatusLabel, orderStatusLabel } from './labels';
import { CancelOrderMutation, FulfillOrderMutation, IssueInvoiceMutation, OrderQuery } from './operations';

/** One order: its lines, its invoices and what is left to invoice; fulfil, cancel, issue an invoice. */
export default function OrderPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(OrderQuery, { variables: { id: id! } });
  const [fulfil, fulfilling] = useMutation(FulfillOrderMutation);
  const [cancel] = useMutation(CancelOrderMutation);
  const [issue] = useMutation(IssueInvoiceMutation, { refetchQueries: ['Order'] });
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'cancel' | 'invoice' | null>(null);
  const o = data?.order;

  if (!o && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!o) return <Skeleton active />;
  const remaining = (Number(o.total) - Number(o.invoiced)).toFixed(2);

  async function act(run: () => Promise<unknown>) {
    setProblem(null);
    try {
      await run();
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {o.number} <Tag>{orderStatusLabel(t, o.status)}</Tag>
        </Typography.Title>
        <Flex wrap gap={8}>
          {o.status === 'confirmed' && can('sales:order:update') && (
            <Button type="primary" loading={fulfilling.loading} onClick={() => act(() => fulfil({ variables: { id: o.id } }))}>
              {s('orders.fulfil')}
            </Button>
          )}
          {o.status !== 'cancelled' && Number(remaining) > 0 && can('sales:invoice:create') && (
            <Button onClick={() => setDialog('invoice')}>{s('orders.issueInvoice')}</Button>
          )}
          {o.status !== 'cancelled' && can('sales:order:update') && (
            <Button danger onClick={() => setDialog('cancel')}>
              {s('orders.cancel')}
            </Button>
          )}
        </Flex>
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" message={problem} closable onClose={() => setProblem(null)} />}
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('opps.account')}>
            <Link to={`/accounts/${o.account.id}`}>{o.account.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('quotes.total')}>{money(o.total, o.currency)}</Descriptions.Item>
          <Descriptions.Item label={s('orders.invoiced')}>{money(o.invoiced, o.currency) || `0 ${o.currency}`}</Descriptions.Item>
          <Descriptions.Item label={s('orders.remaining')}>{`${Number(remaining).toLocaleString()} ${o.currency}`}</Descriptions.Item>
          <Descriptions.Item label={t('opps.owner')}>{o.owner.displayName}</Descriptions.Item>
          {o.quoteId && (
            <Descriptions.Item label={t('quotes.one')}>
              <Link to={`/quotes/${o.quoteId}`}>{t('quotes.open')}</Link>
            </Descriptions.Item>
          )}
          {o.contractId && (
            <Descriptions.Item label={s('contracts.one')}>
              <Link to={`/contracts/${o.contractId}`}>{s('contracts.open')}</Link>
            </Descriptions.Item>
          )}
          {o.cancelReason && <Descriptions.Item label={s('contracts.reason')}>{o.cancelReason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('quotes.lines')}</h2>}>
        <Table
          rowKey={(line) => `${line.productId}-${line.name}`}
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={o.lines}
          locale={{ emptyText: t('dash.none') }}
          columns={[
            { title: t('quotes.product'), dataIndex: 'name' },
            { title: t('quotes.quantity'), dataIndex: 'quantity', render: (v: string) => Number(v).toLocaleString() },
            { title: t('quotes.unitPrice'), dataIndex: 'unitPrice', render: (v: string) => money(v, o.currency) },
            { title: t('quotes.lineDiscount'), dataIndex: 'discountPercent', responsive: ['md'], render: (v: string) => `${Number(v)}%` },
            { title: t('quotes.lineTotal'), dataIndex: 'total', render: (v: string) => money(v, o.currency) },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('invoices.title')}</h2>}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={data.invoices.edges.map((e) => e.node)}
          locale={{ emptyText: t('dash.none') }}
          columns={[
            { title: s('invoices.number'), dataIndex: 'number', render: (n: string, i) => <Link to={`/invoices/${i.id}`}>{n}</Link> },
            { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{invoiceStatusLabel(t, s)}</Tag> },
            { title: s('invoices.amount'), key: 'amount', render: (_, i) => money(i.amount, i.currency) },
            { title: s('invoices.outstanding'), key: 'outstanding', render: (_, i) => money(i.outstanding, i.currency) || `0 ${i.currency}` },
            { title: s('invoices.dueOn'), dataIndex: 'dueOn', responsive: ['md'] },
          ]}
        />
      </Card>
      <TextDialog
        title={s('orders.cancel')}
        label={s('contracts.reason')}
        field="reason"
        required
        open={dialog === 'cancel'}
        onClose={() => setDialog(null)}
        run={(reason) => cancel({ variables: { id: o.id, reason } })}
      />
      <FormDialog<{ amount: string; dueOn: string }>
        title={s('orders.issueInvoice')}
        open={dialog === 'invoice'}
        onClose={() => setDialog(null)}
        initialValues={{ amount: remaining, dueOn: '' }}
        run={(values) => issue({ variables: { orderId: o.id, amount: values.amount || null, dueOn: values.dueOn || null } })}
      >
        {() => (
          <>
            <Form.Item name="amount" label={`${s('invoices.amount')} (${o.currency})`} extra={s('orders.remainingHint', { amount: remaining })}>
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item name="dueOn" label={s('invoices.dueOn')}>
              <Input type="date" />
            </Form.Item>
          </>
        )}
      </FormDialog>
    </Space>
  );
}
