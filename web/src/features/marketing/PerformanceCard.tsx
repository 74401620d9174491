import { useQuery } from '@apollo/client/react';
import { Card, Descriptions, Skeleton, Table } from 'antd';
import { Suspense, lazy } from 'react';
import { ErrorState } from '../../components/ErrorState';
import type { PerformanceFiguresFragment } from '../../gql/graphql';
import { money } from '../opportunities/labels';
import { useStrings } from '../../i18n';
import { CampaignPerformanceQuery } from './operations';
import { strings } from './strings';

const Chart = lazy(() => import('../../components/Chart'));

/** ROI as a percentage, as marketers quote it. */
function percent(ratio: string | null | undefined): string {
  return ratio == null ? '—' : `${(Number(ratio) * 100).toFixed(1)}%`;
}

/** What the campaign sent and brought, and the revenue of won deals it earned under each of the
 * four attribution models, side by side in a table and a chart. */
export function PerformanceCard({ campaignId }: { campaignId: string }) {
  const s = useStrings(strings);
  const { data, error, refetch } = useQuery(CampaignPerformanceQuery, { variables: { id: campaignId } });
  const title = <h2 style={{ fontSize: 16, margin: 0 }}>{s('perf.title')}</h2>;
  if (error && !data) return <Card title={title}><ErrorState error={error} retry={() => void refetch()} /></Card>;
  if (!data) return <Card title={title}><Skeleton active /></Card>;
  const models: PerformanceFiguresFragment[] = [data.firstTouch, data.lastTouch, data.linear, data.uShaped];
  const figures = data.linear;
  const counters = ['sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced', 'responses', 'leads', 'opportunities', 'wonOpportunities'] as const;

  return (
    <Card title={title}>
      <Descriptions column={{ xs: 2, sm: 3, lg: 5 }} size="small">
        {counters.map((name) => (
          <Descriptions.Item key={name} label={s(`perf.${name}`)}>
            {figures[name]}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={s('perf.cost')}>{money(figures.cost, figures.currency) || `0 ${figures.currency}`}</Descriptions.Item>
        <Descriptions.Item label={s('perf.costPerLead')}>{money(figures.costPerLead, figures.currency) || '—'}</Descriptions.Item>
      </Descriptions>
      <Table
        rowKey="model"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 12 }}
        dataSource={models}
        columns={[
          { title: s('perf.model'), key: 'model', render: (_, row) => s(`model.${row.model}`) },
          { title: s('perf.wonRevenue'), key: 'wonRevenue', align: 'right', render: (_, row) => money(row.wonRevenue, row.currency) || `0 ${row.currency}` },
          { title: s('perf.roi'), key: 'roi', align: 'right', render: (_, row) => percent(row.roi) },
        ]}
      />
      <Suspense fallback={<Skeleton active />}>
        <Chart
          label={s('perf.chart')}
          height={240}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
            xAxis: { type: 'category', data: models.map((row) => s(`model.${row.model}`)) },
            yAxis: [{ type: 'value' }, { type: 'value', axisLabel: { formatter: '{value}%' } }],
            series: [
              { type: 'bar', name: s('perf.wonRevenue'), data: models.map((row) => Number(row.wonRevenue)) },
              { type: 'bar', name: s('perf.roi'), yAxisIndex: 1, data: models.map((row) => (row.roi == null ? null : Number(row.roi) * 100)) },
            ],
          }}
        />
      </Suspense>
    </Card>
  );
}
