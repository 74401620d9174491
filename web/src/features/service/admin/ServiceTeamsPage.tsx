import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Flex, Form, Input, InputNumber, Select, Tag } from 'antd';
import { can } from '../../../api/session';
import { ActiveUsersQuery, userOptions } from '../../../api/users';
import { FormDialog } from '../../../components/FormDialog';
import { within } from '../../../components/forms';
import type { ServiceTeamDetailFragment } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { SaveServiceTeamMutation, ServiceTeamsQuery } from '../operations';
import { catalogue } from '../strings';
import { AdminList } from './AdminList';

const METHODS = ['round_robin', 'least_loaded'] as const;

interface Values {
  name: string;
  method: string;
  members: { userId?: string; capacity: number }[];
}

/** Service teams: their agents with how many open tickets each may hold, and how new tickets are shared. */
export default function ServiceTeamsPage() {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(ServiceTeamsQuery);
  return (
    <AdminList<ServiceTeamDetailFragment>
      title={t('nav.serviceTeams')}
      newLabel={s('teams.new')}
      rows={data?.serviceTeams}
      rowKey={(team) => team.id}
      name={(team) => team.name}
      loading={loading}
      error={error}
      retry={() => void refetch()}
      editable={can('support:team:update') || can('support:team:create')}
      columns={[
        { title: s('admin.name'), dataIndex: 'name' },
        { title: s('teams.method'), dataIndex: 'method', render: (m: string) => s(`teams.method.${m as (typeof METHODS)[number]}`) },
        {
          title: s('teams.members'),
          key: 'members',
          render: (_, team) => team.members.map((m) => <Tag key={m.user.id}>{`${m.user.displayName} · ${m.capacity}`}</Tag>),
        },
        { title: s('teams.open'), dataIndex: 'openTickets', responsive: ['md'] },
        { title: s('teams.unassigned'), dataIndex: 'unassignedTickets', responsive: ['md'] },
      ]}
      dialog={(team, onClose) => <TeamDialog team={team} onClose={onClose} />}
    />
  );
}

function TeamDialog({ team, onClose }: { team: ServiceTeamDetailFragment | null; onClose: () => void }) {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const users = useQuery(ActiveUsersQuery, { skip: !can('identity:user:read') });
  const [save] = useMutation(SaveServiceTeamMutation, { refetchQueries: ['ServiceTeams'] });
  return (
    <FormDialog<Values>
      okText={t('form.save')}
      done={t('form.saved')}
      title={team ? s('admin.editing', { name: team.name }) : s('teams.new')}
      open
      onClose={onClose}
      initialValues={{
        name: team?.name ?? '',
        method: team?.method ?? 'round_robin',
        members: team?.members.map((m) => ({ userId: m.user.id, capacity: m.capacity })) ?? [],
      }}
      run={(values) =>
        save({
          variables: {
            id: team?.id ?? null,
            input: {
              name: values.name,
              method: values.method,
              unitId: team?.unitId ?? null,
              members: (values.members ?? []).map((m) => ({ userId: m.userId ?? '', capacity: m.capacity })),
            },
          },
        })
      }
    >
      {() => (
        <>
          <Form.Item name="name" label={s('admin.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('admin.name') }) }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="method" label={s('teams.method')}>
            <Select options={METHODS.map((m) => ({ value: m, label: s(`teams.method.${m}`) }))} />
          </Form.Item>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <Form.Item label={s('teams.members')}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <Form.Item name={[field.name, 'userId']} style={{ flex: 1 }} rules={[{ required: true, message: t('form.required', { field: s('teams.agent') }) }]}>
                      <Select aria-label={s('teams.agent')} showSearch optionFilterProp="label" options={userOptions(users.data)} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'capacity']} rules={[within(t, s('teams.capacity'), 1, 100)]}>
                      <InputNumber aria-label={s('teams.capacity')} style={{ width: 90 }} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={s('admin.remove')} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ capacity: 10 })}>
                  {s('teams.addAgent')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </>
      )}
    </FormDialog>
  );
}
