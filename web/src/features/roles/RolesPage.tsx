import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { roleName } from '../users/labels';
import { RolesQuery } from './operations';

/** The built-in and custom roles with how much each grants; each opens in the role editor. */
export default function RolesPage() {
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(RolesQuery);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('nav.roles')}
        </Typography.Title>
        {can('identity:role:create') && (
          <Button type="primary" onClick={() => navigate('/admin/roles/new')}>
            {t('roles.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="key"
        loading={loading}
        dataSource={data?.roles ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('roles.name'), key: 'name', render: (_, role) => <Link to={`/admin/roles/${role.key}`}>{roleName(language, role)}</Link> },
          { title: t('roles.key'), dataIndex: 'key', responsive: ['sm'] },
          { title: t('roles.kind'), dataIndex: 'builtin', render: (builtin: boolean) => <Tag>{builtin ? t('roles.builtin') : t('roles.custom')}</Tag> },
          { title: t('roles.permissions'), key: 'count', responsive: ['md'], render: (_, role) => role.permissions.length },
          { title: t('roles.description'), dataIndex: 'description', responsive: ['lg'] },
        ]}
      />
    </Space>
  );
}
