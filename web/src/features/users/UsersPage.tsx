import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { AdminUserFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n';
import { roleName, unitOptions } from './labels';
import { AdminUsersQuery, DeactivateUserMutation, ReactivateUserMutation, UserChoicesQuery } from './operations';
import { UserFormModal } from './UserFormModal';

const FILTERS = ['search', 'role', 'orgUnitId', 'active'] as const;

/** Users within the caller's scope: search and filters in the URL, paging, and the administrator's
 * actions each shown only to those who hold its permission. */
export default function UsersPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const { filter: chosen, set, page, after, hasPrevious } = useListParams(FILTERS);
  const { active, ...rest } = chosen;
  const filter = { ...rest, isActive: active === null ? null : active === 'true' };
  const { data, previousData, loading, error, refetch } = useQuery(AdminUsersQuery, { variables: { filter, after } });
  const choices = useQuery(UserChoicesQuery, { skip: !can('identity:role:read') });
  const [editing, setEditing] = useState<AdminUserFragment | 'new' | null>(null);
  const [deactivate] = useMutation(DeactivateUserMutation);
  const [reactivate] = useMutation(ReactivateUserMutation);
  const shown = data ?? previousData;
  const roles = new Map(choices.data?.roles.map((r) => [r.key, roleName(language, r)]));

  async function toggle(user: AdminUserFragment) {
    try {
      if (user.isActive) await deactivate({ variables: { id: user.id } });
      else await reactivate({ variables: { id: user.id } });
      message.success(user.isActive ? t('users.deactivated') : t('users.reactivated'));
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('users.title')}
        </Typography.Title>
        <Space wrap>
          {can('identity:service_account:read') && <Link to="/admin/service-accounts">{t('nav.serviceAccounts')}</Link>}
          {can('identity:user:create') && (
            <Button type="primary" onClick={() => setEditing('new')}>
              {t('users.new')}
            </Button>
          )}
        </Space>
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={t('users.search')}
          placeholder={t('users.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(text) => set('search', text.trim())}
          style={{ flex: '1 1 240px' }}
        />
        {choices.data && (
          <>
            <Select
              aria-label={t('users.filterRole')}
              placeholder={t('users.roles')}
              allowClear
              value={filter.role}
              onChange={(next?: string) => set('role', next ?? null)}
              options={choices.data.roles.map((r) => ({ value: r.key, label: roleName(language, r) }))}
              style={{ flex: '0 1 160px' }}
            />
            <Select
              aria-label={t('users.filterUnit')}
              placeholder={t('users.unit')}
              allowClear
              showSearch
              optionFilterProp="name"
              value={filter.orgUnitId}
              onChange={(next?: string) => set('orgUnitId', next ?? null)}
              options={unitOptions(choices.data.orgUnits)}
              style={{ flex: '0 1 160px' }}
            />
          </>
        )}
        <Select
          aria-label={t('users.filterActive')}
          placeholder={t('users.status')}
          allowClear
          value={active}
          onChange={(next?: string) => set('active', next ?? null)}
          options={[
            { value: 'true', label: t('users.active') },
            { value: 'false', label: t('users.inactive') },
          ]}
          style={{ flex: '0 1 120px' }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.users.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.email'), dataIndex: 'email', responsive: ['sm'] },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            responsive: ['md'],
            render: (keys: string[]) => keys.map((k) => <Tag key={k}>{roles.get(k) ?? k}</Tag>),
          },
          { title: t('users.unit'), key: 'unit', responsive: ['lg'], render: (_, row) => row.orgUnit?.name ?? '' },
          {
            title: t('users.status'),
            dataIndex: 'isActive',
            render: (on: boolean) => <Tag>{on ? t('users.active') : t('users.inactive')}</Tag>,
          },
          {
            title: t('users.actions'),
            key: 'actions',
            render: (_, row) => (
              <Space size={0} wrap>
                {can('identity:user:update') && (
                  <Button type="link" aria-label={t('users.editNamed', { name: row.displayName })} onClick={() => setEditing(row)}>
                    {t('form.edit')}
                  </Button>
                )}
                {can('identity:user:deactivate') && (
                  <Popconfirm
                    title={row.isActive ? t('users.confirmDeactivate', { name: row.displayName }) : t('users.confirmReactivate', { name: row.displayName })}
                    okText={t('form.confirm')}
                    cancelText={t('form.cancel')}
                    onConfirm={() => toggle(row)}
                  >
                    <Button type="link" danger={row.isActive}>
                      {row.isActive ? t('users.deactivate') : t('users.reactivate')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <ListFooter
        total={shown ? t('users.total', { count: shown.users.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.users.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.users.pageInfo.endCursor)}
      />
      {editing && (
        <UserFormModal
          user={editing === 'new' ? null : editing}
          choices={choices.data}
          onClose={() => {
            setEditing(null);
            void refetch();
          }}
        />
      )}
    </Space>
  );
}
