import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Button, DatePicker, Flex, Form, Input, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { can } from '../../../api/session';
import { ActiveUsersQuery, userOptions } from '../../../api/users';
import { FormDialog } from '../../../components/FormDialog';
import type { AgentShiftsQuery } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { AgentShiftsQuery as Query, SaveAgentShiftMutation } from '../operations';
import { catalogue } from '../strings';
import { AdminList } from './AdminList';
import { HoursList, OFFICE_HOURS, weeklyInput } from './HoursList';

type Shift = AgentShiftsQuery['agentShifts'][number];

interface Values {
  userId?: string;
  timeZone: string;
  weekly: { weekday: number; start: string; end: string }[];
  exceptions: { day?: Dayjs; start?: string; end?: string }[];
}

/** Agents' rosters: a weekly pattern and dated exceptions (a day off, or other hours); new tickets go
 * only to agents on shift. */
export default function AgentShiftsPage() {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(Query);
  return (
    <AdminList<Shift>
      title={t('nav.agentShifts')}
      newLabel={s('shifts.new')}
      rows={data?.agentShifts}
      rowKey={(shift) => shift.userId}
      name={(shift) => shift.user.displayName}
      loading={loading}
      error={error}
      retry={() => void refetch()}
      editable={can('support:shift:update')}
      columns={[
        { title: s('teams.agent'), key: 'user', render: (_, shift) => shift.user.displayName },
        { title: s('shifts.onShift'), dataIndex: 'onShift', render: (on: boolean) => <Tag color={on ? 'blue' : 'default'}>{on ? s('shifts.on') : s('shifts.off')}</Tag> },
        {
          title: s('calendars.weekly'),
          key: 'weekly',
          render: (_, shift) => shift.weekly.map((w, i) => <Tag key={i}>{`${s(`weekday.${w.weekday as 1}`)} ${w.start}–${w.end}`}</Tag>),
        },
        {
          title: s('shifts.exceptions'),
          key: 'exceptions',
          responsive: ['md'],
          render: (_, shift) =>
            shift.exceptions.map((e) => (
              <Tag key={e.day}>{`${e.day} ${e.hours.length ? e.hours.map((h) => `${h.start}–${h.end}`).join(', ') : s('shifts.dayOff')}`}</Tag>
            )),
        },
        { title: s('admin.timeZone'), dataIndex: 'timeZone', responsive: ['lg'] },
      ]}
      dialog={(shift, onClose) => <ShiftDialog shift={shift} onClose={onClose} />}
    />
  );
}

function ShiftDialog({ shift, onClose }: { shift: Shift | null; onClose: () => void }) {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const agents = useQuery(ActiveUsersQuery, { variables: { role: 'service_agent' }, skip: !!shift || !can('identity:user:read') });
  const [save] = useMutation(SaveAgentShiftMutation, { refetchQueries: ['AgentShifts'] });
  return (
    <FormDialog<Values>
      okText={t('form.save')}
      done={t('form.saved')}
      title={shift ? s('admin.editing', { name: shift.user.displayName }) : s('shifts.new')}
      open
      onClose={onClose}
      initialValues={{
        userId: shift?.userId,
        timeZone: shift?.timeZone ?? 'Asia/Shanghai',
        weekly: shift?.weekly.map(({ weekday, start, end }) => ({ weekday, start, end })) ?? OFFICE_HOURS,
        exceptions: shift?.exceptions.map((e) => ({ day: dayjs(e.day), start: e.hours[0]?.start, end: e.hours[0]?.end })) ?? [],
      }}
      run={(values) =>
        save({
          variables: {
            input: {
              userId: values.userId ?? '',
              timeZone: values.timeZone,
              weekly: weeklyInput(values.weekly),
              exceptions: (values.exceptions ?? [])
                .filter((e) => e.day)
                .map((e) => ({ day: e.day!.format('YYYY-MM-DD'), hours: e.start && e.end ? [{ start: e.start, end: e.end }] : [] })),
            },
          },
        })
      }
    >
      {() => (
        <>
          <Form.Item name="userId" label={s('teams.agent')} rules={[{ required: true, message: t('form.required', { field: s('teams.agent') }) }]}>
            <Select
              disabled={!!shift}
              showSearch
              optionFilterProp="label"
              options={shift ? [{ value: shift.userId, label: shift.user.displayName }] : userOptions(agents.data)}
            />
          </Form.Item>
          <Form.Item name="timeZone" label={s('admin.timeZone')}>
            <Input maxLength={64} />
          </Form.Item>
          <HoursList name="weekly" label={s('calendars.weekly')} />
          <Form.List name="exceptions">
            {(fields, { add, remove }) => (
              <Form.Item label={s('shifts.exceptions')} extra={s('shifts.exceptionsHint')}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[field.name, 'day']} style={{ flex: '1 1 140px' }}>
                      <DatePicker aria-label={s('shifts.day')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'start']} style={{ flex: '0 1 90px' }}>
                      <Input aria-label={s('hours.start')} placeholder="09:00" maxLength={5} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'end']} style={{ flex: '0 1 90px' }}>
                      <Input aria-label={s('hours.end')} placeholder="18:00" maxLength={5} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={s('admin.remove')} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {s('shifts.addException')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </>
      )}
    </FormDialog>
  );
}
