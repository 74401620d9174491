import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors, type ApiError } from '../../api/errors';
import { DuplicateAlert, duplicateIn } from '../../components/DuplicateAlert';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import { LEVELS } from './labels';
import { AccountQuery, CreateAccountMutation, UpdateAccountMutation } from './operations';

const TEXT_FIELDS = ['industry', 'size', 'province', 'city', 'address', 'website', 'source', 'phone', 'email'] as const;

interface Values {
  name: string;
  level?: string | null;
  tags?: string[];
  [field: string]: unknown;
}

/** Create or edit an account. The API validates; its field errors show next to the fields, and a new account
 * refused as a likely duplicate may be created anyway, deliberately. An edit sends only what changed, so fields
 * the role sees masked are never written back masked. */
export default function AccountFormPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const existing = useQuery(AccountQuery, { variables: { id: id! }, skip: !id });
  const [create, created] = useMutation(CreateAccountMutation);
  const [update, updated] = useMutation(UpdateAccountMutation);
  const [problem, setProblem] = useState<{ text: string; error?: ApiError } | null>(null);
  // the refused values, so "create anyway" sends what the caller saw refused; an edit withdraws the offer
  const [duplicate, setDuplicate] = useState<{ values: Values; error: ApiError } | null>(null);

  if (id && existing.error) return <ErrorState error={existing.error} retry={() => void existing.refetch()} />;
  if (id && !existing.data) return <Skeleton active />;
  const initial = existing.data?.account;

  async function submit(values: Values, allowDuplicate = false) {
    setProblem(null);
    const input = Object.fromEntries(
      Object.entries(values)
        .map(([key, value]) => [key, typeof value === 'string' ? value.trim() || null : (value ?? null)])
        .filter(([key, value]) => !initial || JSON.stringify(value) !== JSON.stringify(initial[key as keyof typeof initial] ?? null)),
    );
    try {
      if (initial) {
        await update({ variables: { id: initial.id, input } });
        message.success(t('form.saved'));
        navigate(`/accounts/${initial.id}`);
      } else {
        const { data } = await create({ variables: { input: input as Values, allowDuplicate } });
        message.success(t('accounts.created'));
        navigate(`/accounts/${data!.createAccount.id}`);
      }
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      const conflict = initial ? undefined : duplicateIn(failure);
      setDuplicate(conflict ? { values, error: conflict } : null);
      if (left && !conflict) setProblem({ text: left.code === 'CONFLICT' ? t('accounts.duplicate') : describe(failure, t), error: left });
    }
  }

  const label = (field: string) => t(`accounts.${field}` as MessageKey);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {initial ? t('accounts.editTitle') : t('accounts.new')}
      </Typography.Title>
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={problem.text}
          action={
            problem.error?.existingId && <Link to={`/accounts/${problem.error.existingId}`}>{t('error.openExisting')}</Link>
          }
        />
      )}
      {duplicate && (
        <DuplicateAlert
          existing={duplicate.error.existingId && `/accounts/${duplicate.error.existingId}`}
          creating={created.loading}
          onCreate={() => void submit(duplicate.values, true)}
        />
      )}
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => void submit(values)}
          onValuesChange={() => setDuplicate(null)}
          initialValues={initial ? { ...initial, owner: undefined } : { tags: [] }}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={label('name')}
                rules={[{ required: true, whitespace: true, message: t('form.required', { field: label('name') }) }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="level" label={label('level')}>
                <Select allowClear options={LEVELS.map((l) => ({ value: l, label: l }))} />
              </Form.Item>
            </Col>
            {TEXT_FIELDS.map((field) => (
              <Col xs={24} md={12} key={field}>
                <Form.Item name={field} label={label(field)}>
                  <Input inputMode={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'} />
                </Form.Item>
              </Col>
            ))}
            <Col xs={24}>
              <Form.Item name="tags" label={label('tags')}>
                <Select mode="tags" open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" loading={created.loading || updated.loading}>
              {t('form.save')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('form.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </Space>
  );
}
