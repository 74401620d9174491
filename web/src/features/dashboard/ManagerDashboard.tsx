import { useQuery } from '@apollo/client/react';
import { Flex, Row, Skeleton, Table, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { money } from '../opportunities/labels';
import { useI18n } from '../../i18n';
import { ManagerAgingQuery, ManagerForecastQuery, ManagerFunnelQuery, ManagerRankingQuery } from './operations';
import { Loaded, Panel } from './Panel';
import { FunnelChart } from '../analytics/FunnelChart';
import { currentMonth, currentQuarter } from './periods';

const Chart = lazy(() => import('../../components/Chart'));

/** A manager's view of the team: funnel (drills into the stage's opportunities), this quarter's
 * forecast against past periods, reps ranked against their targets, receivables aging; each card
 * asks for its own figures, so one that fails leaves the others standing. */
export default function ManagerDashboard() {
  return (
    <Row gutter={[16, 16]}>
      <Funnel />
      <Forecast />
      <Ranking />
      <Aging />
    </Row>
  );
}

function Funnel() {
  const { t } = useI18n();
  const result = useQuery(ManagerFunnelQuery);
  return (
    <Panel title={t('dash.funnel')}>
      <Loaded result={result}>
        {({ funnel }) => (
          <>
            <FunnelChart label={t('dash.funnel')} stages={funnel.stages} />
            <Flex gap={16} wrap>
              <Link to="/pipeline">{t('board.open')}</Link>
              <Link to="/analytics?tab=funnel">{t('dash.openAnalytics')}</Link>
            </Flex>
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function Forecast() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const result = useQuery(ManagerForecastQuery, { variables: { quarter: currentQuarter() } });
  return (
    <Panel title={t('dash.forecast')}>
      <Loaded result={result}>
        {({ forecast }) => (
          <>
            <Typography.Text type="secondary">
              {forecast.period} · {t('dash.weighted')} {money(forecast.weighted, forecast.currency)}
            </Typography.Text>
            <Suspense fallback={<Skeleton active />}>
              <Chart
                label={t('dash.forecast')}
                onPick={() => navigate(`/analytics?tab=forecast&period=${forecast.period}`)}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { bottom: 0 },
                  grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
                  xAxis: { type: 'category', data: [...forecast.history.map((h) => h.period), forecast.period] },
                  yAxis: { type: 'value' },
                  series: [
                    { type: 'bar', name: t('dash.history'), data: [...forecast.history.map((h) => Number(h.amount)), null] },
                    ...(['closedWon', 'commit', 'weighted', 'bestCase'] as const).map((key) => ({
                      type: 'bar',
                      name: t(`dash.${key}`),
                      data: [...forecast.history.map(() => null), Number(forecast[key])],
                    })),
                  ],
                }}
              />
            </Suspense>
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function Ranking() {
  const { t } = useI18n();
  const result = useQuery(ManagerRankingQuery, { variables: { month: currentMonth() } });
  return (
    <Panel title={t('dash.ranking')}>
      <Link to={`/analytics?tab=targets&period=${currentMonth()}`}>{t('dash.openAnalytics')}</Link>
      <Loaded result={result}>
        {({ targets }) => (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={targets.filter((target) => target.user).sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))}
            locale={{ emptyText: t('dash.noData') }}
            columns={[
              { title: t('dash.rank'), dataIndex: 'rank', width: 64 },
              { title: t('dash.rep'), key: 'rep', render: (_, row) => row.user?.displayName },
              { title: t('dash.target'), dataIndex: 'amount', align: 'right', render: (v: string) => Number(v).toLocaleString() },
              { title: t('dash.actual'), dataIndex: 'actual', align: 'right', render: (v: string) => Number(v).toLocaleString() },
              {
                title: t('dash.attainment'),
                key: 'attainment',
                render: (_, row) => `${Math.round((row.attainment ?? 0) * 100)}%`,
              },
            ]}
          />
        )}
      </Loaded>
    </Panel>
  );
}

function Aging() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const result = useQuery(ManagerAgingQuery);
  return (
    <Panel title={t('dash.aging')}>
      <Loaded result={result}>
        {({ receivablesAging: aging }) => (
          <>
            <Typography.Text type="secondary">{money(aging.total, aging.currency)}</Typography.Text>
            <Suspense fallback={<Skeleton active />}>
              <Chart
                label={t('dash.aging')}
                onPick={(_, index) => {
                  const bucket = aging.buckets[index];
                  if (bucket) navigate(`/invoices?agingBucket=${encodeURIComponent(bucket.label)}`);
                }}
                option={{
                  tooltip: {},
                  grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
                  xAxis: { type: 'category', data: aging.buckets.map((b) => b.label) },
                  yAxis: { type: 'value' },
                  series: [{ type: 'bar', name: t('dash.amount'), data: aging.buckets.map((b) => Number(b.amount)) }],
                }}
              />
            </Suspense>
            <Flex gap={12} wrap>
              {aging.buckets.map((b) => (
                <Link key={b.label} to={`/invoices?agingBucket=${encodeURIComponent(b.label)}`}>
                  {`${t('invoices.bucket', { bucket: b.label })} (${b.count})`}
                </Link>
              ))}
            </Flex>
          </>
        )}
      </Loaded>
    </Panel>
  );
}
