import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { roleDescription, roleName } from '../users/labels';
import { RolesQuery } from './operations';

/** The built-in and custom roles with how much each grants; each opens in the role editor. */
export default function RolesPage() {
  const { t, language } = useI18n();
  const s = useStrings(strings);
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
            {s('roles.new')}
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
          { title: s('roles.name'), key: 'name', render: (_, role) => <Link to={`/admin/roles/${role.key}`}>{roleName(language, role)}</Link> },
          { title: s('roles.key'), dataIndex: 'key', responsive: ['sm'] },
          { title: s('roles.kind'), dataIndex: 'builtin', render: (builtin: boolean) => <Tag>{builtin ? s('roles.builtin') : s('roles.custom')}</Tag> },
          { title: t('roles.permissions'), key: 'count', responsive: ['md'], render: (_, role) => role.permissions.length },
          { title: s('roles.description'), key: 'description', responsive: ['lg'], render: (_, role) => roleDescription(language, role) },
        ]}
      />
    </Space>
  );
}
