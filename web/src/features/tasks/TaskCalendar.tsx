import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Badge, Button, Calendar, Card, Flex, Grid, Segmented, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import type { TaskItemFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n';
import { time } from './dates';
import { TasksQuery } from './operations';
import { TaskList } from './TaskList';

const KEY = 'YYYY-MM-DD';

/** A month (Ant Design Calendar) or a week of my tasks, open and done; the month or week shown is in the URL.
 * Phones get the small calendar and the chosen day's tasks below it. */
export default function TaskCalendar() {
  const { t, language } = useI18n();
  const phone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const mode = params.get('mode') === 'week' ? 'week' : 'month';
  const parsed = dayjs(params.get('date') ?? '', KEY, true);
  const date = parsed.isValid() ? parsed : dayjs().startOf('day');
  const from = mode === 'week' ? date.startOf('week') : date.startOf('month').startOf('week');
  const to = mode === 'week' ? from.add(7, 'day') : date.endOf('month').endOf('week').add(1, 'millisecond');
  const { data, error, refetch } = useQuery(TasksQuery, {
    variables: { filter: { status: null, dueFrom: from.toISOString(), dueTo: to.toISOString() }, first: 200 },
  });

  function go(next: { mode?: string; date?: Dayjs }) {
    const changed = new URLSearchParams(params);
    if (next.mode) changed.set('mode', next.mode);
    if (next.date) changed.set('date', next.date.format(KEY));
    setParams(changed, { replace: true });
  }

  const byDay = new Map<string, TaskItemFragment[]>();
  for (const { node } of data?.tasks.edges ?? []) {
    const key = dayjs(node.dueAt).format(KEY);
    byDay.set(key, [...(byDay.get(key) ?? []), node]);
  }
  const onDay = (day: Dayjs) => byDay.get(day.format(KEY)) ?? [];

  return (
    <Flex vertical gap={12}>
      <Segmented
        aria-label={t('tasks.calendar')}
        value={mode}
        onChange={(value) => go({ mode: String(value) })}
        options={[
          { value: 'month', label: t('tasks.month') },
          { value: 'week', label: t('tasks.week') },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {error && !data && <ErrorState error={error} retry={() => void refetch()} />}
      {mode === 'month' ? (
        <>
          <Calendar
            fullscreen={!phone}
            value={date}
            onChange={(day) => go({ date: day })}
            headerRender={({ value }) => (
              <Flex align="center" gap={8} style={{ padding: 8 }}>
                <Button icon={<LeftOutlined />} aria-label={t('tasks.prevMonth')} onClick={() => go({ date: value.subtract(1, 'month') })} />
                <Typography.Text strong>{value.format(language === 'en' ? 'MMMM YYYY' : 'YYYY年M月')}</Typography.Text>
                <Button icon={<RightOutlined />} aria-label={t('tasks.nextMonth')} onClick={() => go({ date: value.add(1, 'month') })} />
                <Button onClick={() => go({ date: dayjs() })}>{t('tasks.today')}</Button>
              </Flex>
            )}
            cellRender={(day, info) => {
              if (info.type !== 'date') return info.originNode;
              const tasks = onDay(day);
              if (!tasks.length) return null;
              if (phone) return <Badge count={tasks.length} size="small" />;
              return (
                <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                  {tasks.map((task) => (
                    <li key={task.id}>
                      <Badge
                        status={task.status === 'done' ? 'success' : dayjs(task.dueAt).isBefore(dayjs()) ? 'error' : 'processing'}
                        text={`${time(task.dueAt)} ${task.title}`}
                      />
                    </li>
                  ))}
                </ul>
              );
            }}
          />
          {phone && (
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{date.format(KEY)}</h2>}>
              <TaskList tasks={onDay(date)} empty={t('dash.none')} />
            </Card>
          )}
        </>
      ) : (
        <>
          <Flex align="center" gap={8}>
            <Button icon={<LeftOutlined />} aria-label={t('tasks.prevWeek')} onClick={() => go({ date: date.subtract(7, 'day') })} />
            <Typography.Text strong>
              {from.format(KEY)} – {from.add(6, 'day').format(KEY)}
            </Typography.Text>
            <Button icon={<RightOutlined />} aria-label={t('tasks.nextWeek')} onClick={() => go({ date: date.add(7, 'day') })} />
          </Flex>
          <Flex wrap gap={8}>
            {Array.from({ length: 7 }, (_, i) => from.add(i, 'day')).map((day) => (
              <Card
                key={day.format(KEY)}
                size="small"
                style={{ flex: '1 1 150px', minWidth: 0 }}
                title={<h2 style={{ fontSize: 14, margin: 0 }}>{day.format('ddd MM-DD')}</h2>}
              >
                <TaskList tasks={onDay(day)} empty={t('dash.none')} />
              </Card>
            ))}
          </Flex>
        </>
      )}
    </Flex>
  );
}
