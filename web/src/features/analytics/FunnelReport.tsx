import { useQuery } from '@apollo/client/react';
import { Descriptions, Skeleton } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import type { FunnelReportQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n';
import { FunnelQuery } from './operations';
import { amount, percentText, percentValue } from './format';

const Chart = lazy(() => import('../../components/Chart'));
type Stage = FunnelReportQuery['funnel']['stages'][number];

/** Per stage the deals that reached it and the share that went on; a stage opens its opportunities. */
export function FunnelReport({ period, ownerId }: { period: string | null; ownerId: string | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(FunnelQuery, { variables: { filter: { period, ownerId } } });
  const columns: ReportColumn<Stage>[] = useMemo(
    () => [
      { key: 'name', title: t('opps.stage'), value: (s) => s.name },
      { key: 'count', title: t('dash.count'), value: (s) => s.count },
      { key: 'conversion', title: t('analytics.conversion'), value: (s) => percentValue(s.conversionRate), render: (s) => percentText(s.conversionRate) },
      { key: 'days', title: t('analytics.daysInStage'), value: (s) => (s.averageDaysInStage === null || s.averageDaysInStage === undefined ? null : Math.round(s.averageDaysInStage * 10) / 10) },
    ],
    [t],
  );
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const f = data.funnel;

  return (
    <>
      <Descriptions column={{ xs: 1, sm: 2, lg: 4 }} size="small" bordered>
        <Descriptions.Item label={t('analytics.deals')}>{f.total}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.open')}>{f.open}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.won')}>{f.won}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.lost')}>{f.lost}</Descriptions.Item>
        <Descriptions.Item label={t('analytics.winRate')}>{percentText(f.winRate)}</Descriptions.Item>
        <Descriptions.Item label={t('analytics.dealSize')}>{`${amount(f.averageDealSize)?.toLocaleString()} ${f.currency}`}</Descriptions.Item>
        <Descriptions.Item label={t('analytics.cycle')}>{f.averageCycleDays === null || f.averageCycleDays === undefined ? '—' : t('opps.days', { days: f.averageCycleDays.toFixed(1) })}</Descriptions.Item>
        <Descriptions.Item label={t('analytics.velocity')}>{`${amount(f.salesVelocity)?.toLocaleString()} ${f.currency}`}</Descriptions.Item>
      </Descriptions>
      <Suspense fallback={<Skeleton active />}>
        <Chart
          label={t('analytics.funnel')}
          onPick={(_, index) => {
            const stage = f.stages[index];
            if (stage?.id) navigate(`/opportunities?stageId=${stage.id}`);
          }}
          option={{
            tooltip: { trigger: 'item' },
            series: [
              {
                type: 'funnel',
                sort: 'none',
                left: '5%',
                width: '90%',
                label: { position: 'inside' },
                data: f.stages.map((s) => ({ name: s.name, value: s.count })),
              },
            ],
          }}
        />
      </Suspense>
      <ReportTable name={`funnel-${period ?? 'all'}`} caption={t('analytics.funnel')} rows={f.stages} rowKey={(s) => s.id ?? s.name} columns={columns} />
    </>
  );
}
