import { useQuery } from '@apollo/client/react';
import { Empty, Flex, List, Progress, Row, Skeleton, Statistic } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { RepDashboardQuery } from './operations';
import { Panel } from './Panel';
import { currentMonth } from './periods';

const Chart = lazy(() => import('../../components/Chart'));

/** A rep's day: overdue tasks, their open pipeline by stage (drills into its opportunities) and this
 * month's target attainment. */
export default function RepDashboard({ me }: { me: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(RepDashboardQuery, { variables: { me, month: currentMonth() } });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;

  const byStage = new Map<string, { id: string; name: string; position: number; count: number; amount: number }>();
  for (const { node } of data.opportunities.edges) {
    const stage = byStage.get(node.stage.id) ?? { ...node.stage, count: 0, amount: 0 };
    stage.count += 1;
    stage.amount += Number(node.amountBase);
    byStage.set(node.stage.id, stage);
  }
  const stages = [...byStage.values()].sort((a, b) => a.position - b.position);
  const target = data.targets[0];

  return (
    <Row gutter={[16, 16]}>
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
          <Link to={`/opportunities?ownerId=${me}&status=open`}>{t('opps.title')} ({data.opportunities.totalCount})</Link>
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
            <Statistic title={t('dash.target')} value={target.amount} />
            <Statistic title={t('dash.actual')} value={target.actual} />
          </>
        ) : (
          <Empty description={t('dash.noTarget')} />
        )}
      </Panel>
    </Row>
  );
}
