import { useQuery } from '@apollo/client/react';
import { Flex, Select, Space, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { useStrings } from '../../i18n';
import { strings } from './strings';
import { currentMonth, currentQuarter, recentPeriods } from '../dashboard/periods';
import { FunnelReport } from './FunnelReport';
import { ForecastReport } from './ForecastReport';
import { TargetsReport } from './TargetsReport';

const TABS = ['funnel', 'forecast', 'targets'] as const;
type Tab = (typeof TABS)[number];

/** Funnel, forecast and targets, each with its period and rep in the URL, so the dashboard's charts link here. */
export default function AnalyticsPage() {
  const s = useStrings(strings);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'funnel';
  const reps = useQuery(ActiveUsersQuery, { variables: { role: 'sales_rep' }, skip: !can('identity:user:read') || tab === 'targets' });
  const fallback = tab === 'targets' ? currentMonth() : tab === 'forecast' ? currentQuarter() : '';
  const period = params.get('period') ?? fallback;
  const ownerId = params.get('ownerId');

  function set(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  }

  const periods = [
    ...(tab === 'funnel' ? [{ value: '', label: s('analytics.allTime') }] : []),
    ...(tab === 'targets' ? [] : recentPeriods('quarter', 6)).map((p) => ({ value: p, label: p })),
    ...recentPeriods('month', 12).map((p) => ({ value: p, label: p })),
  ];

  const filters = (
    <Flex wrap gap={8}>
      <Select
        aria-label={s('analytics.period')}
        value={period}
        onChange={(value: string) => set({ period: value || null })}
        options={periods}
        style={{ flex: '0 1 150px', minWidth: 120 }}
      />
      {tab !== 'targets' && reps.data && (
        <Select
          aria-label={s('analytics.rep')}
          placeholder={s('analytics.allReps')}
          allowClear
          showSearch
          optionFilterProp="label"
          value={ownerId}
          onChange={(value?: string) => set({ ownerId: value ?? null })}
          options={userOptions(reps.data)}
          style={{ flex: '0 1 180px', minWidth: 140 }}
        />
      )}
    </Flex>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('analytics.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={TABS.map((key) => ({
          key,
          label: s(`analytics.${key}`),
          children: key === tab && (
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              {filters}
              {tab === 'funnel' && <FunnelReport period={period || null} ownerId={ownerId} />}
              {tab === 'forecast' && <ForecastReport period={period} ownerId={ownerId} />}
              {tab === 'targets' && <TargetsReport period={period} />}
            </Space>
          ),
        }))}
      />
    </Space>
  );
}
