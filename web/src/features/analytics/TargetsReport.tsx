import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Flex, Form, Input, Select, Skeleton, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import ReportTable, { type ReportColumn } from '../../components/ReportTable';
import type { TargetsReportQuery } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
import { amount, percentText, percentValue } from './format';
import { SetTargetMutation, TargetsQuery } from './operations';

const Chart = lazy(() => import('../../components/Chart'));
const METRICS = ['won_amount', 'collected_amount'] as const;
type Target = TargetsReportQuery['targets'][number];

/** Each rep's target of the period with what they achieved and their rank; a manager sets targets. */
export function TargetsReport({ period }: { period: string }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { data, error, refetch } = useQuery(TargetsQuery, { variables: { period } });
  const [setTarget] = useMutation(SetTargetMutation, { refetchQueries: ['TargetsReport'] });
  const [open, setOpen] = useState(false);
  const mayAssign = can('sales:target:create');
  const reps = useQuery(ActiveUsersQuery, { variables: { role: 'sales_rep' }, skip: !open });
  const metric = (m: string) => ((METRICS as readonly string[]).includes(m) ? s(`metric.${m}` as Key) : m);
  const columns: ReportColumn<Target>[] = useMemo(
    () => [
      { key: 'rep', title: t('dash.rep'), value: (r) => r.user?.displayName ?? s('analytics.unit') },
      { key: 'metric', title: s('analytics.metric'), value: (r) => metric(r.metric) },
      { key: 'target', title: t('dash.target'), value: (r) => amount(r.amount), render: (r) => amount(r.amount)?.toLocaleString() },
      { key: 'actual', title: t('dash.actual'), value: (r) => amount(r.actual), render: (r) => amount(r.actual)?.toLocaleString() },
      { key: 'attainment', title: t('dash.attainment'), value: (r) => percentValue(r.attainment), render: (r) => percentText(r.attainment) },
      { key: 'rank', title: t('dash.rank'), value: (r) => r.rank ?? null },
    ],
    [t, s],
  );
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const ranked = data.targets.filter((r) => r.user);

  return (
    <>
      {mayAssign && (
        <Flex justify="flex-end">
          <Button type="primary" onClick={() => setOpen(true)}>
            {s('analytics.setTarget')}
          </Button>
        </Flex>
      )}
      <Suspense fallback={<Skeleton active />}>
        <Chart
          label={s('analytics.targets')}
          option={{
            tooltip: { trigger: 'axis' },
            legend: { bottom: 0 },
            grid: { left: 8, right: 8, top: 16, bottom: 40, containLabel: true },
            xAxis: { type: 'category', data: ranked.map((r) => `${r.user?.displayName} · ${metric(r.metric)}`) },
            yAxis: { type: 'value' },
            series: [
              { type: 'bar', name: t('dash.target'), data: ranked.map((r) => Number(r.amount)) },
              { type: 'bar', name: t('dash.actual'), data: ranked.map((r) => Number(r.actual)) },
            ],
          }}
        />
      </Suspense>
      <ReportTable name={`targets-${period}`} caption={s('analytics.targets')} rows={data.targets} rowKey={(r) => r.id} columns={columns} />
      <FormDialog<{ userId?: string; metric: string; amount: string }>
        title={s('analytics.setTarget')}
        open={open}
        onClose={() => setOpen(false)}
        initialValues={{ metric: 'won_amount', amount: '' }}
        run={(values) => setTarget({ variables: { period, metric: values.metric, amount: values.amount, userId: values.userId ?? null } })}
      >
        {() => (
          <>
            <Typography.Paragraph>{`${s('analytics.period')}: ${period}`}</Typography.Paragraph>
            <Form.Item name="userId" label={t('dash.rep')} rules={[{ required: true, message: t('form.required', { field: t('dash.rep') }) }]}>
              <Select
                showSearch
                optionFilterProp="label"
                loading={reps.loading}
                options={userOptions(reps.data)}
              />
            </Form.Item>
            <Form.Item name="metric" label={s('analytics.metric')}>
              <Select options={METRICS.map((m) => ({ value: m, label: metric(m) }))} />
            </Form.Item>
            <Form.Item
              name="amount"
              label={t('dash.target')}
              rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('dash.target') }) }]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
          </>
        )}
      </FormDialog>
    </>
  );
}
