import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Col, Form, Input, List, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { useSettled } from '../../components/useSettled';
import type { TicketChannel, TicketPriority, TicketType } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { CHANNELS, PRIORITIES, TYPES } from './labels';
import { AccountForTicketQuery, AccountOptionsQuery, CreateTicketMutation, SuggestArticlesQuery } from './operations';
import { strings } from './strings';

interface Values {
  accountId?: string;
  contactId?: string;
  type: TicketType;
  priority: TicketPriority;
  channel: TicketChannel;
  subject: string;
  description: string;
  productId?: string;
}

/** A ticket taken by phone or at a visit: the account's contacts and installed products to pick from,
 * the API's field errors next to their fields, and articles that may already answer it as the subject is typed. */
export default function NewTicketPage() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const accountId = Form.useWatch('accountId', form);
  const subject = useSettled((Form.useWatch('subject', form) ?? '').trim());
  const accounts = useQuery(AccountOptionsQuery, { variables: { search: useSettled(search, 300) || null } });
  const account = useQuery(AccountForTicketQuery, { variables: { id: accountId ?? '' }, skip: !accountId });
  const suggested = useQuery(SuggestArticlesQuery, { variables: { subject }, skip: subject.length < 2 });
  const [create, creating] = useMutation(CreateTicketMutation);

  async function submit(values: Values) {
    setProblem(null);
    try {
      const { data } = await create({ variables: { input: { ...values, accountId: values.accountId ?? '' } } });
      navigate(`/tickets/${data!.createTicket.id}`);
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  const required = (label: string) => [{ required: true, whitespace: true, message: t('form.required', { field: label }) }];
  const products = account.data?.account.installedBase.filter((p) => p.productId) ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('new')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card>
            <Form<Values>
              form={form}
              layout="vertical"
              onFinish={submit}
              initialValues={{ type: 'INQUIRY', priority: 'NORMAL', channel: 'PHONE', subject: '', description: '' }}
            >
              <Form.Item name="accountId" label={s('account')} rules={required(s('account'))}>
                <Select
                  showSearch
                  filterOption={false}
                  onSearch={setSearch}
                  loading={accounts.loading}
                  onChange={() => form.setFieldsValue({ contactId: undefined, productId: undefined })}
                  options={accounts.data?.accounts.edges.map(({ node }) => ({ value: node.id, label: node.name }))}
                />
              </Form.Item>
              <Form.Item name="contactId" label={s('contact')}>
                <Select
                  allowClear
                  disabled={!accountId}
                  options={account.data?.account.contacts?.edges.map(({ node }) => ({ value: node.id, label: node.name }))}
                />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={8}>
                  <Form.Item name="type" label={s('type')}>
                    <Select options={TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name="priority" label={s('priority')}>
                    <Select options={PRIORITIES.map((v) => ({ value: v, label: s(`priority.${v}`) }))} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name="channel" label={s('channel')}>
                    <Select options={CHANNELS.map((v) => ({ value: v, label: s(`channel.${v}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="subject" label={s('subject')} rules={required(s('subject'))}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="description" label={s('description')}>
                <Input.TextArea rows={5} maxLength={10000} />
              </Form.Item>
              <Form.Item name="productId" label={s('product')}>
                <Select
                  allowClear
                  disabled={!products.length}
                  options={products.map((p) => ({ value: p.productId!, label: `${p.name} · ${p.orderNumber}` }))}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" size="large" loading={creating.loading}>
                {s('new')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('suggested')}</h2>}>
            <List
              size="small"
              loading={suggested.loading}
              dataSource={subject.length < 2 ? [] : (suggested.data?.suggestArticles ?? [])}
              locale={{ emptyText: s('noArticles') }}
              renderItem={(a) => (
                <List.Item>
                  <List.Item.Meta
                    title={a.title}
                    description={<Typography.Paragraph ellipsis={{ rows: 3 }} style={{ margin: 0 }}>{a.body}</Typography.Paragraph>}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
