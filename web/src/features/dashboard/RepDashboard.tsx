import { useQuery } from '@apollo/client/react';
import { Empty, Flex, Input, List, Progress, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { dateTime, dayRange } from '../tasks/dates';
import { TaskList } from '../tasks/TaskList';
import { RepDashboardQuery } from './operations';
import { Panel } from './Panel';
import { currentMonth } from './periods';

const Chart = lazy(() => import('../../components/Chart'));

/** A rep's day: an account lookup, today's tasks to complete, overdue tasks, recent activities on their
 * accounts, their open pipeline by stage (drills into its opportunities) and this month's target attainment. */
export default function RepDashboard({ me }: { me: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const today = useMemo(() => ({ ...dayRange(), status: null }), []);
  const { data, error, refetch } = useQuery(RepDashboardQuery, { variables: { me, month: currentMonth(), today } });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;

  const stages = data.openPipeline.map(({ stage, amountBase }) => ({ ...stage, amount: Number(amountBase) }));
  const open = data.openPipeline.reduce((sum, s) => sum + s.count, 0);
  const target = data.targets[0];

  return (
    <Flex vertical gap={16}>
    <Input.Search
      aria-label={t('dash.lookup')}
      placeholder={t('accounts.search')}
      size="large"
      enterButton={t('dash.lookup')}
      onSearch={(value) => value.trim() && navigate(`/accounts?search=${encodeURIComponent(value.trim())}`)}
    />
    <Row gutter={[16, 16]}>
      <Panel title={t('dash.todayTasks')}>
        <TaskList tasks={data.today.edges.map((e) => e.node)} empty={t('dash.none')} />
        <Link to="/tasks">{t('dash.allTasks')}</Link>
      </Panel>
      <Panel title={t('dash.overdueTasks')}>
        <List
          dataSource={data.overdueTasks}
          locale={{ emptyText: t('dash.none') }}
          renderItem={(task) => (
            <List.Item>
              {task.accountId ? <Link to={`/accounts/${task.accountId}`}>{task.title}</Link> : task.title}
              <span>{new Date(task.dueAt).toLocaleDateString()}</span>
            </List.Item>
          )}
        />
      </Panel>
      <Panel title={t('dash.recentActivities')}>
        <List
          dataSource={data.recentActivities.edges.map((e) => e.node)}
          locale={{ emptyText: t('dash.none') }}
          renderItem={(activity) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <>
                    <Tag>{t(`kind.${activity.kind}` as 'kind.call')}</Tag>
                    <Link to={`/accounts/${activity.account.id}`}>{activity.account.name}</Link>
                  </>
                }
                description={
                  <>
                    <div>{activity.subject}</div>
                    <Typography.Text type="secondary">
                      {dateTime(activity.occurredAt)}
                      {activity.owner?.displayName && ` · ${activity.owner.displayName}`}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Panel>
      <Panel title={t('dash.pipeline')}>
        {stages.length ? (
          <Suspense fallback={<Skeleton active />}>
            <Chart
              label={t('dash.pipeline')}
              onPick={(_, index) => navigate(`/opportunities?stageId=${stages[index].id}&ownerId=${me}&status=open`)}
              option={{
                tooltip: {},
                grid: { left: 8, right: 8, bottom: 8, top: 24, containLabel: true },
                xAxis: { type: 'category', data: stages.map((s) => s.name), axisLabel: { interval: 0, rotate: 30 } },
                yAxis: { type: 'value' },
                series: [{ type: 'bar', name: t('dash.amount'), data: stages.map((s) => s.amount) }],
              }}
            />
          </Suspense>
        ) : (
          <Empty description={t('dash.noData')} />
        )}
        <Flex gap={16} wrap>
          <Link to={`/opportunities?ownerId=${me}&status=open`}>{t('opps.title')} ({open})</Link>
          <Link to="/pipeline">{t('board.open')}</Link>
          <Link to={`/leads?ownerId=${me}`}>{t('dash.myLeads')}</Link>
        </Flex>
      </Panel>
      <Panel title={t('dash.attainment')}>
        {target ? (
          <>
            <Progress
              type="dashboard"
              percent={Math.round((target.attainment ?? 0) * 100)}
              aria-label={t('dash.attainment')}
            />
            <Statistic title={t('dash.target')} value={Number(target.amount)} />
            <Statistic title={t('dash.actual')} value={Number(target.actual)} />
          </>
        ) : (
          <Empty description={t('dash.noTarget')} />
        )}
      </Panel>
    </Row>
    </Flex>
  );
}
