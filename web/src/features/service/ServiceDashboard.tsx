import { useQuery } from '@apollo/client/react';
import { Card, Col, Flex, Row, Select, Skeleton, Statistic } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { useListParams } from '../../components/useListParams';
import type { TicketType } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { Panel } from '../dashboard/Panel';
import { ServiceAnalyticsQuery, ServiceTeamsQuery } from './operations';
import { catalogue } from './strings';

const Chart = lazy(() => import('../../components/Chart'));
const FILTERS = ['period', 'teamId', 'agentId', 'type'] as const;
const PERIODS = { '7d': 7, '30d': 30, '90d': 90 } as const;
type Period = keyof typeof PERIODS;
export const TICKET_TYPES: TicketType[] = ['INQUIRY', 'FAULT', 'COMPLAINT', 'RETURN', 'MAINTENANCE'];
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';

/** The days a period covers, ending with today, in the browser's time zone; a quarter goes by weeks. */
function periodSpan(period: Period) {
  const to = dayjs().add(1, 'day').startOf('day');
  return { from: to.subtract(PERIODS[period], 'day').toISOString(), to: to.toISOString(), bucket: period === '90d' ? 'week' : 'day' };
}

const percent = (value: number | null | undefined) => (value == null ? null : value);

/** Service figures from `serviceAnalytics` for the period, team, agent and type in the URL: backlog,
 * created against resolved, business-minute response and resolution times, SLA attainment and reopen
 * rate, CSAT and NPS. Charts open the ticket list (or the survey answers) with the same filters. */
export default function ServiceDashboard() {
  const s = useStrings(catalogue);
  const navigate = useNavigate();
  const { filter, set } = useListParams(FILTERS);
  const period: Period = filter.period && filter.period in PERIODS ? (filter.period as Period) : '30d';
  const span = useMemo(() => periodSpan(period), [period]);
  const type = filter.type as TicketType | null;
  const { data, previousData, error, refetch } = useQuery(ServiceAnalyticsQuery, {
    variables: { filter: { ...span, teamId: filter.teamId, agentId: filter.agentId, type, timeZone: TIME_ZONE } },
  });
  const teams = useQuery(ServiceTeamsQuery, { skip: !can('support:team:read') });
  const agents = useQuery(ActiveUsersQuery, { variables: { role: 'service_agent' }, skip: !can('identity:user:read') });
  const figures = (data ?? previousData)?.serviceAnalytics;

  /** The ticket list with this dashboard's team, agent and type, and more. */
  function tickets(extra: Record<string, string> = {}): string {
    const query = new URLSearchParams();
    if (filter.teamId) query.set('teamId', filter.teamId);
    if (filter.agentId) query.set('assigneeId', filter.agentId);
    if (type) query.set('type', type);
    Object.entries(extra).forEach(([key, value]) => query.set(key, value));
    const text = query.toString();
    return text ? `/tickets?${text}` : '/tickets';
  }
  const surveys = (kind: string) =>
    `/surveys?kind=${kind}&from=${dayjs(span.from).format('YYYY-MM-DD')}&to=${dayjs(span.to).subtract(1, 'day').format('YYYY-MM-DD')}`;

  const filters = (
    <Flex wrap gap={8}>
      <Select
        aria-label={s('svc.period')}
        value={period}
        onChange={(value: string) => set('period', value === '30d' ? null : value)}
        options={Object.keys(PERIODS).map((p) => ({ value: p, label: s(`svc.period.${p as Period}`) }))}
        style={{ flex: '0 1 140px' }}
      />
      {teams.data && (
        <Select
          aria-label={s('svc.team')}
          placeholder={s('svc.team')}
          allowClear
          value={filter.teamId}
          onChange={(value?: string) => set('teamId', value ?? null)}
          options={teams.data.serviceTeams.map((team) => ({ value: team.id, label: team.name }))}
          style={{ flex: '0 1 180px' }}
        />
      )}
      {agents.data && (
        <Select
          aria-label={s('svc.agent')}
          placeholder={s('svc.agent')}
          allowClear
          showSearch
          optionFilterProp="label"
          value={filter.agentId}
          onChange={(value?: string) => set('agentId', value ?? null)}
          options={userOptions(agents.data)}
          style={{ flex: '0 1 180px' }}
        />
      )}
      <Select
        aria-label={s('svc.type')}
        placeholder={s('svc.type')}
        allowClear
        value={type}
        onChange={(value?: string) => set('type', value ?? null)}
        options={TICKET_TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))}
        style={{ flex: '0 1 140px' }}
      />
    </Flex>
  );

  if (error && !figures) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!figures) return <Skeleton active />;
  const days = figures.trend.map((p) => p.start.slice(5));
  const minutes = (value: number | null | undefined) => (value == null ? '—' : Math.round(value));
  const attainment = [figures.firstResponseAttainment, figures.resolutionAttainment];

  return (
    <Flex vertical gap={16}>
      {filters}
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card size="small">
            <Flex wrap gap={24}>
              <Link to={tickets()} aria-label={`${s('svc.backlog')} ${figures.backlog}`}>
                <Statistic title={s('svc.backlog')} value={figures.backlog} />
              </Link>
              <Statistic title={s('svc.created')} value={figures.created} />
              <Statistic title={s('svc.resolved')} value={figures.resolved} />
              <Statistic title={s('svc.firstResponseMinutes')} value={minutes(figures.firstResponseMinutes)} />
              <Statistic title={s('svc.resolutionMinutes')} value={minutes(figures.resolutionMinutes)} />
              <Statistic title={s('svc.reopenRate')} value={figures.reopenRate ?? '—'} suffix={figures.reopenRate != null ? '%' : undefined} />
            </Flex>
          </Card>
        </Col>
        <Panel title={s('svc.trend')}>
          <Suspense fallback={<Skeleton active />}>
            <Chart
              label={s('svc.trend')}
              onPick={() => navigate(tickets())}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
                xAxis: { type: 'category', data: days },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  { type: 'bar', name: s('svc.created'), data: figures.trend.map((p) => p.created) },
                  { type: 'bar', name: s('svc.resolved'), data: figures.trend.map((p) => p.resolved) },
                ],
              }}
            />
          </Suspense>
        </Panel>
        <Panel title={s('svc.times')}>
          <Suspense fallback={<Skeleton active />}>
            <Chart
              label={s('svc.times')}
              onPick={() => navigate(tickets())}
              option={{
                tooltip: {},
                // room above the grid for the value axis's name, which containLabel does not count
                grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
                xAxis: { type: 'category', data: [s('svc.firstResponse'), s('svc.resolution')] },
                yAxis: { type: 'value', name: s('svc.businessMinutes'), nameTextStyle: { align: 'left' } },
                series: [{ type: 'bar', name: s('svc.businessMinutes'), data: [figures.firstResponseMinutes, figures.resolutionMinutes] }],
              }}
            />
          </Suspense>
        </Panel>
        <Panel title={s('svc.sla')}>
          <Suspense fallback={<Skeleton active />}>
            <Chart
              label={s('svc.sla')}
              height={200}
              onPick={() => navigate(tickets({ sla: 'breached' }))}
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : `${String(v)}%`) },
                legend: { bottom: 0 },
                grid: { left: 8, right: 16, top: 8, bottom: 32, containLabel: true },
                xAxis: { type: 'value', max: 100 },
                yAxis: { type: 'category', data: [s('svc.firstResponse'), s('svc.resolution')] },
                series: [
                  { type: 'bar', stack: 'sla', name: s('svc.met'), color: '#389e0d', data: attainment.map(percent) },
                  { type: 'bar', stack: 'sla', name: s('svc.missed'), color: '#cf1322', data: attainment.map((v) => (v == null ? null : Math.round((100 - v) * 10) / 10)) },
                ],
              }}
            />
          </Suspense>
          <Flex gap={16} wrap>
            <Link to={tickets({ sla: 'at_risk' })}>{s('svc.atRisk')}</Link>
            <Link to={tickets({ sla: 'breached' })}>{s('svc.breached')}</Link>
          </Flex>
        </Panel>
        <Panel title={s('svc.satisfaction')}>
          <Flex wrap gap={24}>
            <Link to={surveys('CSAT')} aria-label={`CSAT ${figures.csat ?? '—'}`}>
              <Statistic title={`CSAT (${s('svc.answers', { count: figures.csatAnswers })})`} value={figures.csat ?? '—'} suffix={figures.csat != null ? '%' : undefined} />
            </Link>
            <Link to={surveys('NPS')} aria-label={`NPS ${figures.nps ?? '—'}`}>
              <Statistic title={`NPS (${s('svc.answers', { count: figures.npsAnswers })})`} value={figures.nps ?? '—'} />
            </Link>
          </Flex>
          <Suspense fallback={<Skeleton active />}>
            <Chart
              label={s('svc.satisfaction')}
              height={220}
              onPick={() => navigate(surveys('CSAT'))}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 8, right: 8, top: 16, bottom: 32, containLabel: true },
                xAxis: { type: 'category', data: days },
                yAxis: { type: 'value', min: -100, max: 100 },
                series: [
                  { type: 'line', name: 'CSAT %', connectNulls: true, data: figures.trend.map((p) => p.csat ?? null) },
                  { type: 'line', name: 'NPS', connectNulls: true, data: figures.trend.map((p) => p.nps ?? null) },
                ],
              }}
            />
          </Suspense>
        </Panel>
      </Row>
    </Flex>
  );
}
