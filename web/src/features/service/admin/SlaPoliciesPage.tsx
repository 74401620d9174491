import { useMutation, useQuery } from '@apollo/client/react';
import { Checkbox, Flex, Form, Input, InputNumber, Select, Tag } from 'antd';
import { can } from '../../../api/session';
import { FormDialog } from '../../../components/FormDialog';
import { within } from '../../../components/forms';
import type { SlaPoliciesQuery } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { SaveSlaPolicyMutation, SlaPoliciesQuery as Query } from '../operations';
import { catalogue } from '../strings';
import { AdminList } from './AdminList';
import { PRIORITIES, TYPES } from '../../tickets/labels';
import { LEVELS } from './choices';

type Policy = SlaPoliciesQuery['slaPolicies'][number];
type Values = Omit<Policy, 'id' | '__typename' | 'calendarId'> & { calendarId?: string };
const TARGETS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
const ACTIONS = ['raisePriority', 'escalate', 'reassign', 'active'] as const;

/** SLA policies: business-minute targets for the tickets of the priorities, types and customer levels they
 * cover, on a business calendar; the share of a target that warns, and what a breach sets off. */
export default function SlaPoliciesPage() {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(Query);
  const calendarName = (id: string) => data?.businessCalendars.find((c) => c.id === id)?.name ?? id;
  const tags = <T extends string>(values: readonly T[], label: (v: T) => string = (v) => v) =>
    values.length ? values.map((v) => <Tag key={v}>{label(v)}</Tag>) : s('admin.any');
  return (
    <AdminList<Policy>
      title={t('nav.slaPolicies')}
      newLabel={s('sla.new')}
      rows={data?.slaPolicies}
      rowKey={(policy) => policy.id}
      name={(policy) => policy.name}
      loading={loading}
      error={error}
      retry={() => void refetch()}
      editable={can('support:sla_policy:update') || can('support:sla_policy:create')}
      columns={[
        { title: s('admin.rank'), dataIndex: 'rank' },
        { title: s('admin.name'), dataIndex: 'name' },
        { title: s('sla.priorities'), dataIndex: 'priorities', render: (v: Policy['priorities']) => tags(v, (x) => s(`priority.${x}`)) },
        { title: s('admin.types'), dataIndex: 'types', responsive: ['md'], render: (v: Policy['types']) => tags(v, (x) => s(`type.${x}`)) },
        { title: s('admin.levels'), dataIndex: 'levels', responsive: ['md'], render: (v: string[]) => tags(v) },
        ...TARGETS.map((target) => ({ title: s(`sla.${target}`), dataIndex: target, render: (m: number | null) => m ?? '—' })),
        { title: s('sla.warnPercent'), dataIndex: 'warnPercent', responsive: ['lg'] as const, render: (p: number) => `${p}%` },
        { title: s('sla.calendar'), dataIndex: 'calendarId', responsive: ['lg'] as const, render: calendarName },
        { title: s('admin.active'), dataIndex: 'active', render: (on: boolean) => <Tag>{on ? s('admin.on') : s('admin.off')}</Tag> },
      ]}
      dialog={(policy, onClose) => <PolicyDialog policy={policy} calendars={data?.businessCalendars ?? []} onClose={onClose} />}
    />
  );
}

function PolicyDialog({ policy, calendars, onClose }: { policy: Policy | null; calendars: { id: string; name: string }[]; onClose: () => void }) {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const [save] = useMutation(SaveSlaPolicyMutation, { refetchQueries: ['SlaPolicies'] });
  const required = (label: string) => [{ required: true, message: t('form.required', { field: label }) }];
  return (
    <FormDialog<Values>
      okText={t('form.save')}
      done={t('form.saved')}
      title={policy ? s('admin.editing', { name: policy.name }) : s('sla.new')}
      open
      onClose={onClose}
      initialValues={{
        name: policy?.name ?? '',
        rank: policy?.rank ?? 100,
        calendarId: policy?.calendarId ?? calendars[0]?.id,
        priorities: policy?.priorities ?? [],
        types: policy?.types ?? [],
        levels: policy?.levels ?? [],
        firstResponseMinutes: policy?.firstResponseMinutes ?? null,
        nextResponseMinutes: policy?.nextResponseMinutes ?? null,
        resolutionMinutes: policy?.resolutionMinutes ?? null,
        warnPercent: policy?.warnPercent ?? 80,
        raisePriority: policy?.raisePriority ?? true,
        escalate: policy?.escalate ?? true,
        reassign: policy?.reassign ?? false,
        active: policy?.active ?? true,
      }}
      run={(values) => save({ variables: { id: policy?.id ?? null, input: { ...values, calendarId: values.calendarId ?? '' } } })}
    >
      {() => (
        <>
          <Form.Item name="name" label={s('admin.name')} rules={required(s('admin.name'))}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="calendarId" label={s('sla.calendar')} rules={required(s('sla.calendar'))}>
            <Select options={calendars.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
          <Form.Item name="priorities" label={s('sla.priorities')} extra={s('admin.emptyIsAny')}>
            <Select mode="multiple" options={PRIORITIES.map((v) => ({ value: v, label: s(`priority.${v}`) }))} />
          </Form.Item>
          <Form.Item name="types" label={s('admin.types')} extra={s('admin.emptyIsAny')}>
            <Select mode="multiple" options={TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="levels" label={s('admin.levels')} extra={s('admin.emptyIsAny')}>
            <Select mode="multiple" options={LEVELS.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Flex wrap gap={8}>
            {TARGETS.map((target) => (
              <Form.Item key={target} name={target} label={s(`sla.${target}`)} rules={[within(t, s(`sla.${target}`), 1)]} style={{ flex: '1 1 120px' }}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            ))}
          </Flex>
          <Flex wrap gap={8}>
            <Form.Item name="warnPercent" label={s('sla.warnPercent')} rules={[within(t, s('sla.warnPercent'), 1, 99)]} style={{ flex: '1 1 120px' }}>
              <InputNumber suffix="%" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="rank" label={s('admin.rank')} extra={s('admin.rankHint')} rules={[within(t, s('admin.rank'), 0, 10000)]} style={{ flex: '1 1 120px' }}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Flex wrap gap={16}>
            {ACTIONS.map((action) => (
              <Form.Item key={action} name={action} valuePropName="checked" noStyle>
                <Checkbox>{s(`sla.${action}`)}</Checkbox>
              </Form.Item>
            ))}
          </Flex>
        </>
      )}
    </FormDialog>
  );
}
