import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Col, Flex, Row, Segmented, Skeleton, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { dayRange } from './dates';
import { TasksQuery } from './operations';
import { TaskFormModal } from './TaskFormModal';
import { TaskList } from './TaskList';

const TaskCalendar = lazy(() => import('./TaskCalendar'));

/** My tasks: overdue, today and the coming week with complete, or a month/week calendar; the view is in the URL. */
export default function TasksPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'calendar' ? 'calendar' : 'list';
  const [creating, setCreating] = useState(false);

  function show(next: string) {
    const changed = new URLSearchParams(params);
    if (next === 'list') changed.delete('view');
    else changed.set('view', next);
    setParams(changed);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('tasks.title')}
        </Typography.Title>
        <Flex gap={8} wrap>
          <Segmented
            aria-label={t('tasks.title')}
            value={view}
            onChange={(value) => show(String(value))}
            options={[
              { value: 'list', label: t('tasks.list') },
              { value: 'calendar', label: t('tasks.calendar') },
            ]}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('tasks.new')}
          </Button>
        </Flex>
      </Flex>
      {view === 'list' ? (
        <TaskSections />
      ) : (
        <Suspense fallback={<Skeleton active />}>
          <TaskCalendar />
        </Suspense>
      )}
      <TaskFormModal open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

function TaskSections() {
  const { t } = useI18n();
  // computed once per visit: the sections do not shift under the user's thumb
  const ranges = useMemo(() => {
    const today = dayRange();
    return {
      overdue: { dueTo: today.dueFrom },
      today,
      upcoming: dayRange(dayjs().add(1, 'day'), 7),
    };
  }, []);
  return (
    <Row gutter={[16, 16]}>
      <Section title={t('tasks.today')} filter={ranges.today} />
      <Section title={t('tasks.overdue')} filter={ranges.overdue} />
      <Section title={t('tasks.upcoming')} filter={ranges.upcoming} />
    </Row>
  );
}

function Section({ title, filter }: { title: string; filter: { dueFrom?: string; dueTo: string } }) {
  const { t } = useI18n();
  const { data, error, refetch } = useQuery(TasksQuery, { variables: { filter } });
  const tasks = data?.tasks.edges.map((e) => e.node) ?? [];
  return (
    <Col xs={24} lg={8}>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} extra={data && data.tasks.totalCount}>
        {error && !data ? (
          <ErrorState error={error} retry={() => void refetch()} />
        ) : !data ? (
          <Skeleton active />
        ) : (
          <>
            <TaskList tasks={tasks} empty={t('dash.none')} />
            {data.tasks.totalCount > tasks.length && (
              <Typography.Text type="secondary">{t('tasks.more', { count: data.tasks.totalCount - tasks.length })}</Typography.Text>
            )}
          </>
        )}
      </Card>
    </Col>
  );
}
