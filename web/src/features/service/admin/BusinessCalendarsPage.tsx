import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Checkbox, DatePicker, Flex, Form, Input, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { can } from '../../../api/session';
import { FormDialog } from '../../../components/FormDialog';
import type { BusinessCalendarsQuery } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { BusinessCalendarsQuery as Query, SaveBusinessCalendarMutation } from '../operations';
import { catalogue } from '../strings';
import { AdminList } from './AdminList';
import { HoursList, OFFICE_HOURS, weeklyInput } from './HoursList';

type Calendar = BusinessCalendarsQuery['businessCalendars'][number];

interface Values {
  name: string;
  timeZone: string;
  statutory: boolean;
  weekly: { weekday: number; start: string; end: string }[];
  holidays: Dayjs[];
  workdays: Dayjs[];
  closures: { range?: [Dayjs, Dayjs]; reason?: string }[];
}

const days = (values: Dayjs[] | undefined) => (values ?? []).map((d) => d.format('YYYY-MM-DD'));

/** Business calendars: weekly working hours in a time zone, China's statutory holidays and make-up
 * workdays (调休) or one's own, and closures; SLA clocks count only the hours they leave open. */
export default function BusinessCalendarsPage() {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(Query);
  return (
    <AdminList<Calendar>
      title={t('nav.businessCalendars')}
      newLabel={s('calendars.new')}
      rows={data?.businessCalendars}
      rowKey={(calendar) => calendar.id}
      name={(calendar) => calendar.name}
      loading={loading}
      error={error}
      retry={() => void refetch()}
      editable={can('support:calendar:update') || can('support:calendar:create')}
      columns={[
        { title: s('admin.name'), dataIndex: 'name' },
        { title: s('admin.timeZone'), dataIndex: 'timeZone', responsive: ['md'] },
        {
          title: s('calendars.weekly'),
          key: 'weekly',
          render: (_, c) => c.weekly.map((w, i) => <Tag key={i}>{`${s(`weekday.${w.weekday as 1}`)} ${w.start}–${w.end}`}</Tag>),
        },
        {
          title: s('calendars.statutory'),
          key: 'statutory',
          responsive: ['md'],
          render: (_, c) => (c.statutory ? s('calendars.statutoryUntil', { day: c.statutoryUntil ?? '—' }) : s('admin.off')),
        },
        { title: s('calendars.holidays'), dataIndex: 'holidays', responsive: ['lg'], render: (v: string[]) => v.length },
        { title: s('calendars.workdays'), dataIndex: 'workdays', responsive: ['lg'], render: (v: string[]) => v.length },
        { title: s('calendars.closures'), dataIndex: 'closures', responsive: ['lg'], render: (v: unknown[]) => v.length },
      ]}
      dialog={(calendar, onClose) => <CalendarDialog calendar={calendar} onClose={onClose} />}
    />
  );
}

function CalendarDialog({ calendar, onClose }: { calendar: Calendar | null; onClose: () => void }) {
  const s = useStrings(catalogue);
  const { t } = useI18n();
  const [save] = useMutation(SaveBusinessCalendarMutation, { refetchQueries: ['BusinessCalendars', 'SlaPolicies'] });
  return (
    <FormDialog<Values>
      okText={t('form.save')}
      done={t('form.saved')}
      title={calendar ? s('admin.editing', { name: calendar.name }) : s('calendars.new')}
      open
      onClose={onClose}
      initialValues={{
        name: calendar?.name ?? '',
        timeZone: calendar?.timeZone ?? 'Asia/Shanghai',
        statutory: calendar?.statutory ?? true,
        weekly: calendar?.weekly.map(({ weekday, start, end }) => ({ weekday, start, end })) ?? OFFICE_HOURS,
        holidays: calendar?.holidays.map((d) => dayjs(d)) ?? [],
        workdays: calendar?.workdays.map((d) => dayjs(d)) ?? [],
        closures: calendar?.closures.map((c) => ({ range: [dayjs(c.start), dayjs(c.end)] as [Dayjs, Dayjs], reason: c.reason })) ?? [],
      }}
      run={(values) =>
        save({
          variables: {
            id: calendar?.id ?? null,
            input: {
              name: values.name,
              timeZone: values.timeZone,
              statutory: values.statutory,
              weekly: weeklyInput(values.weekly),
              holidays: days(values.holidays),
              workdays: days(values.workdays),
              closures: (values.closures ?? [])
                .filter((c) => c.range)
                .map((c) => ({ start: c.range![0].toISOString(), end: c.range![1].toISOString(), reason: c.reason ?? '' })),
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
          <Form.Item name="timeZone" label={s('admin.timeZone')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="statutory" valuePropName="checked">
            <Checkbox>{s('calendars.statutoryHint')}</Checkbox>
          </Form.Item>
          <HoursList name="weekly" label={s('calendars.weekly')} />
          <Form.Item name="holidays" label={s('calendars.holidays')}>
            <DatePicker multiple style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="workdays" label={s('calendars.workdays')}>
            <DatePicker multiple style={{ width: '100%' }} />
          </Form.Item>
          <Form.List name="closures">
            {(fields, { add, remove }) => (
              <Form.Item label={s('calendars.closures')}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline" wrap>
                    <Form.Item name={[field.name, 'range']} style={{ flex: '1 1 260px' }}>
                      <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" aria-label={s('calendars.closure')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'reason']} style={{ flex: '1 1 120px' }}>
                      <Input aria-label={s('calendars.reason')} placeholder={s('calendars.reason')} maxLength={200} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={s('admin.remove')} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {s('calendars.addClosure')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
        </>
      )}
    </FormDialog>
  );
}
