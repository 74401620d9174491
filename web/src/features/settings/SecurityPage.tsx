import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { RetireSigningKeyMutation, RotateSigningKeyMutation, SecurityQuery, UpdateSecuritySettingsMutation } from './operations';

/** Whether administrators must use TOTP, and the keys that sign access tokens: rotate to a new
 * key, retire an old one once the tokens it signed have expired. */
export default function SecurityPage() {
  const { t } = useI18n();
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
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('security.totp')}</h2>} loading={!data}>
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
              <label htmlFor="require-admin-totp">{t('security.requireAdminTotp')}</label>
            </Flex>
            {settings.enforcedByConfiguration && <Alert type="info" showIcon message={t('security.enforced')} />}
            {settings.updatedAt && <Typography.Text type="secondary">{t('security.updatedAt', { at: new Date(settings.updatedAt).toLocaleString() })}</Typography.Text>}
          </Space>
        )}
      </Card>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('security.keys')}</h2>}
        extra={
          can('identity:signing_key:rotate') && (
            <Popconfirm title={t('security.confirmRotate')} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => rotate(), t('security.rotated'))}>
              <Button loading={rotating.loading}>{t('security.rotate')}</Button>
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
            { title: t('security.kid'), dataIndex: 'kid' },
            { title: t('security.algorithm'), dataIndex: 'algorithm', responsive: ['sm'] },
            { title: t('security.createdAt'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
            {
              title: t('users.status'),
              key: 'status',
              render: (_, key) =>
                key.retiredAt ? (
                  <Tag>{t('security.retired')}</Tag>
                ) : key.kid === newest?.kid ? (
                  <Tag>{t('security.signing')}</Tag>
                ) : can('identity:signing_key:rotate') ? (
                  <Popconfirm title={t('security.confirmRetire', { kid: key.kid })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => retire({ variables: { kid: key.kid } }), t('security.retiredDone'))}>
                    <Button type="link" danger aria-label={t('security.retireNamed', { kid: key.kid })}>
                      {t('security.retire')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Tag color="blue">{t('security.verifying')}</Tag>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
