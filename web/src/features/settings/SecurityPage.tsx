import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { RetireSigningKeyMutation, RotateSigningKeyMutation, SecurityQuery, UpdateSecuritySettingsMutation } from './operations';

/** Whether administrators must use TOTP, and the keys that sign access tokens: rotate to a new
 * key, retire an old one once the tokens it signed have expired. */
export default function SecurityPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { data, error, refetch } = useQuery(SecurityQuery);
  const [updateSettings, updating] = useMutation(UpdateSecuritySettingsMutation);
  const [rotate, rotating] = useMutation(RotateSigningKeyMutation);
  const [retire] = useMutation(RetireSigningKeyMutation);

  async function run(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      message.success(done);
      await refetch();
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  const settings = data?.securitySettings;
  const keys = data?.signingKeys ?? [];
  const newest = keys.filter((k) => !k.retiredAt).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.security')}
      </Typography.Title>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('security.totp')}</h2>} loading={!data}>
        {settings && (
          <Space direction="vertical">
            <Flex gap={8} align="center">
              <Switch
                id="require-admin-totp"
                checked={settings.requireAdminTotp || settings.enforcedByConfiguration}
                disabled={settings.enforcedByConfiguration || !can('identity:role:update')}
                loading={updating.loading}
                onChange={(on) => run(() => updateSettings({ variables: { requireAdminTotp: on } }), t('form.saved'))}
              />
              <label htmlFor="require-admin-totp">{s('security.requireAdminTotp')}</label>
            </Flex>
            {settings.enforcedByConfiguration && <Alert type="info" showIcon message={s('security.enforced')} />}
            {settings.updatedAt && <Typography.Text type="secondary">{s('security.updatedAt', { at: new Date(settings.updatedAt).toLocaleString() })}</Typography.Text>}
          </Space>
        )}
      </Card>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('security.keys')}</h2>}
        extra={
          can('identity:signing_key:rotate') && (
            <Popconfirm title={s('security.confirmRotate')} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => rotate(), s('security.rotated'))}>
              <Button loading={rotating.loading}>{s('security.rotate')}</Button>
            </Popconfirm>
          )
        }
      >
        <Table
          rowKey="kid"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={keys}
          columns={[
            { title: s('security.kid'), dataIndex: 'kid' },
            { title: s('security.algorithm'), dataIndex: 'algorithm', responsive: ['sm'] },
            { title: s('security.createdAt'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
            {
              title: t('users.status'),
              key: 'status',
              render: (_, key) =>
                key.retiredAt ? (
                  <Tag>{s('security.retired')}</Tag>
                ) : key.kid === newest?.kid ? (
                  <Tag>{s('security.signing')}</Tag>
                ) : can('identity:signing_key:rotate') ? (
                  <Popconfirm title={s('security.confirmRetire', { kid: key.kid })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => retire({ variables: { kid: key.kid } }), s('security.retiredDone'))}>
                    <Button type="link" danger aria-label={s('security.retireNamed', { kid: key.kid })}>
                      {s('security.retire')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Tag color="blue">{s('security.verifying')}</Tag>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
