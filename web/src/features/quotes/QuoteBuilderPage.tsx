import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, DatePicker, Flex, Form, Input, Select, Skeleton, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import { keepEnterInPickers } from '../../components/forms';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { CreateQuoteMutation, QuoteBuilderQuery } from './operations';

interface Line {
  productId?: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
}

interface Values {
  priceBookId: string;
  lines: Line[];
  discountPercent: string;
  taxRate: string;
  validUntil?: Dayjs | null;
}

const ACCOUNT_BOOK = '';
const NEW_LINE: Line = { quantity: '1', unitPrice: '', discountPercent: '' };

/** A new quote version for an opportunity: products, the price book (the account's unless one is picked),
 * line prices only where the user types them, line and quote discounts and tax. The API prices the lines
 * and computes the totals; the quote's page shows them. */
export default function QuoteBuilderPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const opportunityId = params.get('opportunityId') ?? '';
  const { data, error, refetch } = useQuery(QuoteBuilderQuery, { variables: { opportunityId }, skip: !opportunityId });
  const [create, creating] = useMutation(CreateQuoteMutation);
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const lines = Form.useWatch('lines', form) ?? [];
  const o = data?.opportunity;
  const books = (data?.priceBooks ?? []).filter((b) => b.active && b.currency === o?.currency);
  const products = (data?.products.edges ?? []).map((e) => e.node).filter((p) => p.currency === o?.currency);

  if (!opportunityId) return <Alert type="info" showIcon message={s('quotes.noOpportunity')} action={<Link to="/opportunities?status=open">{t('opps.title')}</Link>} />;
  if (!o && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!o || !data) return <Skeleton active />;

  async function submit(values: Values) {
    setProblem(null);
    try {
      const made = await create({
        variables: {
          input: {
            opportunityId,
            priceBookId: values.priceBookId || null,
            lines: values.lines.map((line) => ({
              productId: line.productId!,
              quantity: line.quantity,
              unitPrice: line.unitPrice.trim() || null,
              discountPercent: line.discountPercent || null,
            })),
            discountPercent: values.discountPercent || null,
            taxRate: values.taxRate || null,
            validUntil: values.validUntil?.format('YYYY-MM-DD') ?? null,
          },
        },
      });
      if (made.data) navigate(`/quotes/${made.data.createQuote.id}`);
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  const required = (field: string) => [{ required: true, whitespace: true, message: t('form.required', { field }) }];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('quotes.new')}
        </Typography.Title>
        <Link to={`/opportunities/${o.id}`}>{o.name}</Link>
      </Flex>
      <Typography.Text type="secondary">
        {o.account.name} · {o.currency}
      </Typography.Text>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onKeyDown={keepEnterInPickers}
        initialValues={{ priceBookId: ACCOUNT_BOOK, lines: [NEW_LINE], discountPercent: '', taxRate: '13' }}
      >
        <Form.Item name="priceBookId" label={s('quotes.priceBook')} style={{ maxWidth: 360 }}>
          <Select
            options={[
              { value: ACCOUNT_BOOK, label: s('quotes.accountBook') },
              ...books.map((b) => ({ value: b.id, label: b.name })),
            ]}
          />
        </Form.Item>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('quotes.lines')}</h2>} style={{ marginBottom: 16 }}>
              {fields.map((field, index) => {
                const line = lines[index] as Line | undefined;
                const product = products.find((p) => p.id === line?.productId);
                return (
                  <Flex key={field.key} wrap gap={8} align="flex-start" style={{ borderBottom: '1px solid #f0f0f0', marginBottom: 8 }}>
                    <Form.Item
                      name={[field.name, 'productId']}
                      label={`${t('quotes.product')} ${index + 1}`}
                      rules={[{ required: true, message: t('form.required', { field: t('quotes.product') }) }]}
                      style={{ flex: '1 1 220px', marginBottom: 8 }}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        options={products.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'quantity']}
                      label={`${t('quotes.quantity')} ${index + 1}`}
                      rules={required(t('quotes.quantity'))}
                      style={{ flex: '0 1 110px', marginBottom: 8 }}
                    >
                      <Input inputMode="decimal" suffix={product?.unit} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'unitPrice']}
                      label={`${t('quotes.unitPrice')} ${index + 1}`}
                      style={{ flex: '0 1 140px', marginBottom: 8 }}
                    >
                      <Input inputMode="decimal" placeholder={s('quotes.bookPrice')} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'discountPercent']}
                      label={`${t('quotes.lineDiscount')} ${index + 1}`}
                      style={{ flex: '0 1 110px', marginBottom: 8 }}
                    >
                      <Input inputMode="decimal" suffix="%" />
                    </Form.Item>
                    <Flex vertical style={{ flex: '1 1 140px', paddingTop: 4 }}>
                      <Typography.Text type="secondary">{s('quotes.listPrice')}</Typography.Text>
                      <span>{product ? money(product.listPrice, product.currency) : '—'}</span>
                    </Flex>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={s('quotes.removeLine', { n: index + 1 })}
                        onClick={() => remove(field.name)}
                        style={{ marginTop: 28 }}
                      />
                    )}
                  </Flex>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => add(NEW_LINE)}>
                {s('quotes.addLine')}
              </Button>
            </Card>
          )}
        </Form.List>
        <Flex wrap gap={8}>
          <Form.Item name="discountPercent" label={s('quotes.quoteDiscount')} style={{ flex: '0 1 160px' }}>
            <Input inputMode="decimal" suffix="%" />
          </Form.Item>
          <Form.Item name="taxRate" label={s('quotes.taxRate')} style={{ flex: '0 1 160px' }}>
            <Input inputMode="decimal" suffix="%" />
          </Form.Item>
          <Form.Item name="validUntil" label={t('quotes.validUntil')} style={{ flex: '0 1 180px' }}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Typography.Paragraph type="secondary">{s('quotes.totalsByApi')}</Typography.Paragraph>
        <Space>
          <Button type="primary" htmlType="submit" loading={creating.loading}>
            {s('quotes.create')}
          </Button>
          <Button onClick={() => navigate(-1)}>{t('form.cancel')}</Button>
        </Space>
      </Form>
    </Space>
  );
}
