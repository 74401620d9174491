import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, Descriptions, Flex, Form, Input, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { PAYMENT_METHODS, invoiceStatusLabel, paymentMethodLabel } from './labels';
import { InvoiceQuery, RecordPaymentMutation } from './operations';

interface Payment {
  amount: string;
  receivedOn: string;
  method: string;
  reference: string;
}

/** One invoice: amount, paid and the balance, its payments; a payment recorded in part or in full. */
export default function InvoicePage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(InvoiceQuery, { variables: { id: id! } });
  const [record] = useMutation(RecordPaymentMutation);
  const [paying, setPaying] = useState(false);
  const i = data?.invoice;

  if (!i && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!i) return <Skeleton active />;
  const open = i.status === 'open' || i.status === 'partially_paid';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {i.number} <Tag>{invoiceStatusLabel(t, i.status)}</Tag>
        </Typography.Title>
        {open && can('sales:payment:create') && (
          <Button type="primary" onClick={() => setPaying(true)}>
            {s('invoices.recordPayment')}
          </Button>
        )}
      </Flex>
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('opps.account')}>
            <Link to={`/accounts/${i.account.id}`}>{i.account.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.one')}>
            <Link to={`/orders/${i.orderId}`}>{t('orders.open')}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={s('invoices.amount')}>{money(i.amount, i.currency)}</Descriptions.Item>
          <Descriptions.Item label={s('invoices.paid')}>{money(i.paid, i.currency) || `0 ${i.currency}`}</Descriptions.Item>
          <Descriptions.Item label={s('invoices.outstanding')}>
            <strong>{money(i.outstanding, i.currency) || `0 ${i.currency}`}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={s('invoices.issuedOn')}>{i.issuedOn}</Descriptions.Item>
          <Descriptions.Item label={s('invoices.dueOn')}>{i.dueOn}</Descriptions.Item>
          <Descriptions.Item label={t('opps.owner')}>{i.owner.displayName}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('invoices.payments')}</h2>}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={i.payments}
          locale={{ emptyText: t('dash.none') }}
          columns={[
            { title: s('invoices.receivedOn'), dataIndex: 'receivedOn' },
            { title: s('invoices.amount'), key: 'amount', render: (_, p) => money(p.amount, p.currency) },
            { title: s('invoices.method'), dataIndex: 'method', render: (m: string) => paymentMethodLabel(t, m) },
            { title: s('invoices.reference'), dataIndex: 'reference', responsive: ['md'] },
          ]}
        />
      </Card>
      <FormDialog<Payment>
        title={s('invoices.recordPayment')}
        open={paying}
        onClose={() => setPaying(false)}
        initialValues={{ amount: i.outstanding, receivedOn: new Date().toISOString().slice(0, 10), method: 'bank_transfer', reference: '' }}
        run={(values) =>
          record({
            variables: {
              input: {
                invoiceId: i.id,
                amount: values.amount,
                receivedOn: values.receivedOn || null,
                method: values.method,
                reference: values.reference || null,
              },
            },
          })
        }
      >
        {() => (
          <>
            <Form.Item
              name="amount"
              label={`${s('invoices.amount')} (${i.currency})`}
              extra={s('invoices.balanceHint', { amount: i.outstanding })}
              rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('invoices.amount') }) }]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item name="receivedOn" label={s('invoices.receivedOn')}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="method" label={s('invoices.method')}>
              <Select options={PAYMENT_METHODS.map((m) => ({ value: m, label: paymentMethodLabel(t, m) }))} />
            </Form.Item>
            <Form.Item name="reference" label={s('invoices.reference')}>
              <Input maxLength={100} />
            </Form.Item>
          </>
        )}
      </FormDialog>
    </Space>
  );
}
