import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { ServiceAccountDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { GrantableQuery } from '../roles/operations';
import {
  CreateApiKeyMutation,
  CreateServiceAccountMutation,
  DeactivateServiceAccountMutation,
  RevokeApiKeyMutation,
  ServiceAccountsQuery,
} from './operations';

/** Integrations: service accounts with the permissions they were given and their API keys; a new
 * key's secret is shown once, right after it is made. */
export default function ServiceAccountsPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { data, error, loading, refetch } = useQuery(ServiceAccountsQuery);
  const [creating, setCreating] = useState(false);
  const [keyFor, setKeyFor] = useState<ServiceAccountDetailFragment | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [deactivate] = useMutation(DeactivateServiceAccountMutation);
  const [revoke] = useMutation(RevokeApiKeyMutation);

  async function run(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      message.success(done);
      await refetch();
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('nav.serviceAccounts')}
        </Typography.Title>
        {can('identity:service_account:create') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {s('serviceAccounts.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {loading && !data && <Card loading />}
      {data?.serviceAccounts.length === 0 && <Typography.Text>{t('dash.none')}</Typography.Text>}
      {data?.serviceAccounts.map((account) => (
        <Card
          key={account.id}
          title={<h2 style={{ fontSize: 16, margin: 0 }}>{account.name}</h2>}
          extra={account.isActive ? <Tag>{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <div>
              {account.permissions.map((p) => (
                <Tag key={p}>{p}</Tag>
              ))}
            </div>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={account.apiKeys}
              locale={{ emptyText: s('serviceAccounts.noKeys') }}
              columns={[
                { title: s('serviceAccounts.keyName'), dataIndex: 'name' },
                { title: s('serviceAccounts.prefix'), dataIndex: 'prefix' },
                { title: s('serviceAccounts.lastUsed'), dataIndex: 'lastUsedAt', render: (at?: string | null) => (at ? new Date(at).toLocaleString() : '—') },
                {
                  title: t('users.status'),
                  key: 'status',
                  render: (_, key) =>
                    key.revokedAt ? (
                      <Tag>{s('serviceAccounts.revoked')}</Tag>
                    ) : can('identity:service_account:revoke') ? (
                      <Popconfirm title={s('serviceAccounts.confirmRevoke', { name: key.name })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => revoke({ variables: { id: key.id } }), s('serviceAccounts.keyRevoked'))}>
                        <Button type="link" danger>
                          {s('serviceAccounts.revoke')}
                        </Button>
                      </Popconfirm>
                    ) : (
                      <Tag>{t('users.active')}</Tag>
                    ),
                },
              ]}
            />
            <Space wrap>
              {account.isActive && can('identity:service_account:create') && <Button onClick={() => setKeyFor(account)}>{s('serviceAccounts.newKey')}</Button>}
              {account.isActive && can('identity:service_account:update') && (
                <Popconfirm title={s('serviceAccounts.confirmDeactivate', { name: account.name })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => deactivate({ variables: { id: account.id } }), t('users.deactivated'))}>
                  <Button danger>{t('users.deactivate')}</Button>
                </Popconfirm>
              )}
            </Space>
          </Space>
        </Card>
      ))}
      {creating && <ServiceAccountModal onClose={() => { setCreating(false); void refetch(); }} />}
      {keyFor && <ApiKeyModal account={keyFor} onCreated={(s) => { setKeyFor(null); setSecret(s); void refetch(); }} onClose={() => setKeyFor(null)} />}
      <Modal open={!!secret} title={s('serviceAccounts.secretTitle')} onOk={() => setSecret(null)} onCancel={() => setSecret(null)} okText={s('serviceAccounts.stored')} cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert type="warning" showIcon message={s('serviceAccounts.secretOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: secret ?? '' }} code style={{ wordBreak: 'break-all' }}>
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}

function ServiceAccountModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [form] = Form.useForm<{ name: string; permissions: string[] }>();
  const catalogue = useQuery(GrantableQuery);
  const [create, { loading }] = useMutation(CreateServiceAccountMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: { name: string; permissions: string[] }) {
    try {
      await create({ variables: { input: { name: values.name.trim(), permissions: values.permissions ?? [] } } });
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={s('serviceAccounts.new')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ permissions: [] }}>
        <Form.Item name="name" label={s('serviceAccounts.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('serviceAccounts.name') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="permissions" label={t('roles.permissions')}>
          <Select mode="multiple" options={catalogue.data?.permissionCatalogue.map((p) => ({ value: p, label: p }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApiKeyModal({ account, onCreated, onClose }: { account: ServiceAccountDetailFragment; onCreated: (secret: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [form] = Form.useForm<{ name: string }>();
  const [create, { loading }] = useMutation(CreateApiKeyMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit({ name }: { name: string }) {
    try {
      const { data } = await create({ variables: { serviceAccountId: account.id, name: name.trim() } });
      onCreated(data!.createApiKey.secret);
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={s('serviceAccounts.newKeyFor', { name: account.name })} okText={t('form.create')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={s('serviceAccounts.keyName')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('serviceAccounts.keyName') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
