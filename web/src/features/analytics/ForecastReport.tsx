import { useQuery } from '@apollo/client/react';
import { Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import type { ForecastReportQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n';
import { ForecastQuery } from './operations';
import { amount, percentText, percentValue } from './format';

const Chart = lazy(() => import('../../components/Chart'));
const FIGURES = ['closedWon', 'commit', 'weighted', 'bestCase', 'pipeline', 'trend'] as const;
type Accuracy = ForecastReportQuery['forecast']['accuracy'][number];
interface Figure {
  key: (typeof FIGURES)[number];
  name: string;
  amount: number | null;
}

/** The period's weighted, commit and best-case figures beside past periods' wins and the trend through
 * them; how close past forecasts came. */
export function ForecastReport({ period, ownerId }: { period: string; ownerId: string | null }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(ForecastQuery, { variables: { period, ownerId } });
  const f = data?.forecast;
  const figures: Figure[] = useMemo(
    () => (f ? FIGURES.map((key) => ({ key, name: t(`analytics.${key}`), amount: amount(f[key]) })) : []),
    [f, t],
  );
  const figureColumns: ReportColumn<Figure>[] = useMemo(
    () => [
      { key: 'name', title: t('analytics.figure'), value: (r) => r.name },
      { key: 'amount', title: `${t('dash.amount')} (${f?.currency ?? ''})`, value: (r) => r.amount, render: (r) => r.amount?.toLocaleString() },
    ],
    [t, f?.currency],
  );
  const accuracyColumns: ReportColumn<Accuracy>[] = useMemo(
    () => [
      { key: 'period', title: t('analytics.period'), value: (a) => a.period },
      { key: 'forecast', title: t('analytics.forecasted'), value: (a) => amount(a.forecast), render: (a) => amount(a.forecast)?.toLocaleString() },
      { key: 'actual', title: t('dash.actual'), value: (a) => amount(a.actual), render: (a) => amount(a.actual)?.toLocaleString() },
      { key: 'accuracy', title: t('analytics.accuracy'), value: (a) => percentValue(a.accuracy), render: (a) => percentText(a.accuracy) },
    ],
    [t],
  );
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!f) return <Skeleton active />;
  const past = f.history.map((h) => h.period);

  return (
    <>
      <Typography.Text type="secondary">{t('analytics.openDeals', { count: f.openCount })}</Typography.Text>
      <Suspense fallback={<Skeleton active />}>
        <Chart
          label={t('analytics.forecast')}
          onPick={() => navigate(ownerId ? `/opportunities?status=open&ownerId=${ownerId}` : '/opportunities?status=open')}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 8, right: 8, top: 16, bottom: 56, containLabel: true },
            xAxis: { type: 'category', data: [...past, f.period] },
            yAxis: { type: 'value' },
            series: [
              { type: 'bar', name: t('dash.history'), data: [...f.history.map((h) => Number(h.amount)), null] },
              ...(['closedWon', 'commit', 'weighted', 'bestCase'] as const).map((key) => ({
                type: 'bar',
                name: t(`analytics.${key}`),
                data: [...past.map(() => null), Number(f[key])],
              })),
              { type: 'line', name: t('analytics.trend'), data: [...past.map(() => null), Number(f.trend)], symbolSize: 10 },
            ],
          }}
        />
      </Suspense>
      <ReportTable name={`forecast-${f.period}`} caption={t('analytics.forecast')} rows={figures} rowKey={(r) => r.key} columns={figureColumns} />
      <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
        {t('analytics.accuracyTitle')}
      </Typography.Title>
      <ReportTable name={`forecast-accuracy-${f.period}`} caption={t('analytics.accuracyTitle')} rows={f.accuracy} rowKey={(a) => a.period} columns={accuracyColumns} />
    </>
  );
}
