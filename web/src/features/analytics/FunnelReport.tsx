import { useQuery } from '@apollo/client/react';
import { Descriptions, Skeleton } from 'antd';
import { useMemo } from 'react';
import { ErrorState } from '../../components/ErrorState';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import type { FunnelReportQuery } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { FunnelQuery } from './operations';
import { FunnelChart } from './FunnelChart';
import { amount, percentText, percentValue } from './format';

type Stage = FunnelReportQuery['funnel']['stages'][number];

/** Per stage the deals that reached it and the share that went on; a stage opens its opportunities. */
export function FunnelReport({ period, ownerId }: { period: string | null; ownerId: string | null }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { data, error, refetch } = useQuery(FunnelQuery, { variables: { filter: { period, ownerId } } });
  const columns: ReportColumn<Stage>[] = useMemo(
    () => [
      { key: 'name', title: t('opps.stage'), value: (stage) => stage.name },
      { key: 'count', title: t('dash.count'), value: (stage) => stage.count },
      { key: 'conversion', title: s('analytics.conversion'), value: (stage) => percentValue(stage.conversionRate), render: (stage) => percentText(stage.conversionRate) },
      { key: 'days', title: s('analytics.daysInStage'), value: (stage) => (stage.averageDaysInStage === null || stage.averageDaysInStage === undefined ? null : Math.round(stage.averageDaysInStage * 10) / 10) },
    ],
    [t, s],
  );
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const f = data.funnel;

  return (
    <>
      <Descriptions column={{ xs: 1, sm: 2, lg: 4 }} size="small" bordered>
        <Descriptions.Item label={s('analytics.deals')}>{f.total}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.open')}>{f.open}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.won')}>{f.won}</Descriptions.Item>
        <Descriptions.Item label={t('oppStatus.lost')}>{f.lost}</Descriptions.Item>
        <Descriptions.Item label={s('analytics.winRate')}>{percentText(f.winRate)}</Descriptions.Item>
        <Descriptions.Item label={s('analytics.dealSize')}>{`${amount(f.averageDealSize)?.toLocaleString()} ${f.currency}`}</Descriptions.Item>
        <Descriptions.Item label={s('analytics.cycle')}>{f.averageCycleDays === null || f.averageCycleDays === undefined ? '—' : t('opps.days', { days: f.averageCycleDays.toFixed(1) })}</Descriptions.Item>
        <Descriptions.Item label={s('analytics.velocity')}>{`${amount(f.salesVelocity)?.toLocaleString()} ${f.currency}`}</Descriptions.Item>
      </Descriptions>
      <FunnelChart label={s('analytics.funnel')} stages={f.stages} />
      <ReportTable name={`funnel-${period ?? 'all'}`} caption={s('analytics.funnel')} rows={f.stages} rowKey={(s) => s.id ?? s.name} columns={columns} />
    </>
  );
}
