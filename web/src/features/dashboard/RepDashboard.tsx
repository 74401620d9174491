import { useQuery } from '@apollo/client/react';
import { Empty, Flex, Input, List, Progress, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { dateTime, dayRange } from '../tasks/dates';
import { TaskList } from '../tasks/TaskList';
import { RepActivitiesQuery, RepOverdueQuery, RepPipelineQuery, RepTargetQuery, RepTodayQuery } from './operations';
import { Loaded, Panel } from './Panel';
import { currentMonth } from './periods';

const Chart = lazy(() => import('../../components/Chart'));

/** A rep's day: an account lookup, today's tasks to complete, overdue tasks, recent activities on their
 * accounts, their open pipeline by stage (drills into its opportunities) and this month's target attainment;
 * each card asks for its own figures, so one that fails leaves the others standing. */
export default function RepDashboard({ me }: { me: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
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
        <Today />
        <Overdue />
        <Activities />
        <Pipeline me={me} />
        <Attainment me={me} />
      </Row>
    </Flex>
  );
}

function Today() {
  const { t } = useI18n();
  const today = useMemo(() => ({ ...dayRange(), status: null }), []);
  const result = useQuery(RepTodayQuery, { variables: { today } });
  return (
    <Panel title={t('dash.todayTasks')}>
      <Loaded result={result}>{(data) => <TaskList tasks={data.today.edges.map((e) => e.node)} empty={t('dash.none')} />}</Loaded>
      <Link to="/tasks">{t('dash.allTasks')}</Link>
    </Panel>
  );
}

function Overdue() {
  const { t } = useI18n();
  const result = useQuery(RepOverdueQuery);
  return (
    <Panel title={t('dash.overdueTasks')}>
      <Loaded result={result}>
        {({ overdueTasks }) => (
          <List
            dataSource={overdueTasks}
            locale={{ emptyText: t('dash.none') }}
            renderItem={(task) => (
              <List.Item>
                {task.accountId ? <Link to={`/accounts/${task.accountId}`}>{task.title}</Link> : task.title}
                <span>{new Date(task.dueAt).toLocaleDateString()}</span>
              </List.Item>
            )}
          />
        )}
      </Loaded>
    </Panel>
  );
}

function Activities() {
  const { t } = useI18n();
  const result = useQuery(RepActivitiesQuery);
  return (
    <Panel title={t('dash.recentActivities')}>
      <Loaded result={result}>
        {({ recentActivities }) => (
          <List
            dataSource={recentActivities.edges.map((e) => e.node)}
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
        )}
      </Loaded>
    </Panel>
  );
}

function Pipeline({ me }: { me: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const result = useQuery(RepPipelineQuery, { variables: { me } });
  const open = result.data?.openPipeline.reduce((sum, s) => sum + s.count, 0);
  return (
    <Panel title={t('dash.pipeline')}>
      <Loaded result={result}>
        {({ openPipeline }) => {
          const stages = openPipeline.map(({ stage, amountBase }) => ({ ...stage, amount: Number(amountBase) }));
          return stages.length ? (
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
          );
        }}
      </Loaded>
      <Flex gap={16} wrap>
        <Link to={`/opportunities?ownerId=${me}&status=open`}>
          {t('opps.title')}
          {open !== undefined && ` (${open})`}
        </Link>
        <Link to="/pipeline">{t('board.open')}</Link>
        <Link to={`/leads?ownerId=${me}`}>{t('dash.myLeads')}</Link>
      </Flex>
    </Panel>
  );
}

function Attainment({ me }: { me: string }) {
  const { t } = useI18n();
  const result = useQuery(RepTargetQuery, { variables: { me, month: currentMonth() } });
  return (
    <Panel title={t('dash.attainment')}>
      <Loaded result={result}>
        {({ targets: [target] }) =>
          target ? (
            <>
              <Progress type="dashboard" percent={Math.round((target.attainment ?? 0) * 100)} aria-label={t('dash.attainment')} />
              <Statistic title={t('dash.target')} value={Number(target.amount)} />
              <Statistic title={t('dash.actual')} value={Number(target.actual)} />
            </>
          ) : (
            <Empty description={t('dash.noTarget')} />
          )
        }
      </Loaded>
    </Panel>
  );
}
