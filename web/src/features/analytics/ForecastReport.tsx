import { useQuery } from '@apollo/client/react';
import { Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import type { ForecastReportQuery } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
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
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(ForecastQuery, { variables: { period, ownerId } });
  const f = data?.forecast;
  const figures: Figure[] = useMemo(
    () => (f ? FIGURES.map((key) => ({ key, name: s(`analytics.${key}`), amount: amount(f[key]) })) : []),
    [f, s],
  );
  const figureColumns: ReportColumn<Figure>[] = useMemo(
    () => [
      { key: 'name', title: s('analytics.figure'), value: (r) => r.name },
      { key: 'amount', title: `${t('dash.amount')} (${f?.currency ?? ''})`, value: (r) => r.amount, render: (r) => r.amount?.toLocaleString() },
    ],
    [t, s, f?.currency],
  );
  const accuracyColumns: ReportColumn<Accuracy>[] = useMemo(
    () => [
      { key: 'period', title: s('analytics.period'), value: (a) => a.period },
      { key: 'forecast', title: s('analytics.forecasted'), value: (a) => amount(a.forecast), render: (a) => amount(a.forecast)?.toLocaleString() },
      { key: 'actual', title: t('dash.actual'), value: (a) => amount(a.actual), render: (a) => amount(a.actual)?.toLocaleString() },
      { key: 'accuracy', title: s('analytics.accuracy'), value: (a) => percentValue(a.accuracy), render: (a) => percentText(a.accuracy) },
    ],
    [t],
  );
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!f) return <Skeleton active />;
  const past = f.history.map((h) => h.period);

  return (
    <>
      <Typography.Text type="secondary">{s('analytics.openDeals', { count: f.openCount })}</Typography.Text>
      <Suspense fallback={<Skeleton active />}>
        <Chart
          label={s('analytics.forecast')}
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
                name: s(`analytics.${key}`),
                data: [...past.map(() => null), Number(f[key])],
              })),
              { type: 'line', name: s('analytics.trend'), data: [...past.map(() => null), Number(f.trend)], symbolSize: 10 },
            ],
          }}
        />
      </Suspense>
      <ReportTable name={`forecast-${f.period}`} caption={s('analytics.forecast')} rows={figures} rowKey={(r) => r.key} columns={figureColumns} />
      <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
        {s('analytics.accuracyTitle')}
      </Typography.Title>
      <ReportTable name={`forecast-accuracy-${f.period}`} caption={s('analytics.accuracyTitle')} rows={f.accuracy} rowKey={(a) => a.period} columns={accuracyColumns} />
    </>
  );
}
