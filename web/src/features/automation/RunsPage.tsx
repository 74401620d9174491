import { useQuery } from '@apollo/client/react';
import { DatePicker, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { WorkflowRunsQuery as Runs } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { WorkflowRunsQuery, WorkflowsQuery } from './operations';
import { recordKind, recordPath } from './records';
import { TONE } from '../tickets/labels';
import { strings, wordOr } from './strings';

const STATUSES = ['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED'] as const;
const COLORS: Record<string, string> = { RUNNING: TONE.blue, WAITING: TONE.gold, SUCCEEDED: TONE.green, FAILED: TONE.red };
type Run = Runs['workflowRuns']['edges'][number]['node'];

const json = (value: unknown) => (value && typeof value === 'object' && !Object.keys(value).length ? '' : JSON.stringify(value));

/** Runs by rule, status and the days they started, paged in the URL; a run opens its steps with their
 * results and errors, and links the record it acted on. */
export default function RunsPage() {
  const s = useStrings(strings);
  const list = useListParams(['workflowId', 'status', 'from', 'to']);
  const { filter, set, update } = list;
  const workflows = useQuery(WorkflowsQuery);
  const names = new Map(workflows.data?.workflows.map((w) => [w.id, w.name]));
  const where = {
    workflowId: filter.workflowId,
    status: filter.status as (typeof STATUSES)[number] | null,
    startedFrom: filter.from ? dayjs(filter.from).startOf('day').toISOString() : null,
    startedBefore: filter.to ? dayjs(filter.to).add(1, 'day').startOf('day').toISOString() : null,
  };
  const { data, previousData, loading, error, refetch } = useQuery(WorkflowRunsQuery, { variables: { filter: where, after: list.after } });
  const shown = data ?? previousData;

  function record(run: Run) {
    if (!run.subject) return '—';
    const path = recordPath(run.topic, run.subject);
    const label = `${wordOr(s, `record.${recordKind(run.topic)}`, '')} ${run.subject}`.trim();
    return path ? <Link to={path}>{label}</Link> : <span style={{ wordBreak: 'break-all' }}>{label}</span>;
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('runs.title')}
      </Typography.Title>
      <Flex wrap gap={8}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={s('runs.workflow')}
          placeholder={s('runs.workflow')}
          value={filter.workflowId}
          onChange={(value?: string) => set('workflowId', value ?? null)}
          options={workflows.data?.workflows.map((w) => ({ value: w.id, label: w.name })) ?? []}
          style={{ flex: '1 1 220px', minWidth: 0 }}
        />
        <Select
          allowClear
          aria-label={s('runs.status')}
          placeholder={s('runs.status')}
          value={filter.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={STATUSES.map((v) => ({ value: v, label: s(`run.${v}`) }))}
          style={{ flex: '0 1 160px', minWidth: 0 }}
        />
        <DatePicker.RangePicker
          aria-label={s('runs.between')}
          placeholder={[s('runs.from'), s('runs.to')]}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
          onChange={(range) =>
            update((next) => {
              const [from, to] = range ?? [];
              if (from && to) {
                next.set('from', from.format('YYYY-MM-DD'));
                next.set('to', to.format('YYYY-MM-DD'));
              } else {
                next.delete('from');
                next.delete('to');
              }
            })
          }
          style={{ flex: '1 1 240px', minWidth: 0 }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {!(error && !shown) && (
        <>
          <Table
            rowKey="id"
            loading={loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={shown?.workflowRuns.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: s('runs.none') }}
            expandable={{
              expandedRowRender: (run) => (
                <Flex vertical gap={8} aria-label={s('runs.steps')}>
                  {run.error && <Typography.Text type="danger">{run.error}</Typography.Text>}
                  <Table
                    rowKey="stepId"
                    size="small"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={run.steps}
                    locale={{ emptyText: s('runs.noSteps') }}
                    columns={[
                      { title: s('step.id'), dataIndex: 'stepId' },
                      { title: s('step.action'), dataIndex: 'action', render: (a: string) => wordOr(s, `action.${a}`, a) },
                      { title: s('runs.stepStatus'), dataIndex: 'status', render: (v: string) => wordOr(s, `stepStatus.${v}`, v) },
                      { title: s('runs.attempts'), dataIndex: 'attempts' },
                      { title: s('runs.result'), dataIndex: 'result', render: (v: unknown) => <code style={{ wordBreak: 'break-all' }}>{json(v)}</code> },
                      { title: s('runs.error'), dataIndex: 'error', render: (v: string | null) => v && <Typography.Text type="danger">{v}</Typography.Text> },
                      { title: s('runs.finished'), dataIndex: 'finishedAt', responsive: ['md'], render: (at: string | null) => (at ? new Date(at).toLocaleString() : '') },
                    ]}
                  />
                </Flex>
              ),
            }}
            columns={[
              { title: s('runs.started'), dataIndex: 'startedAt', render: (at: string) => new Date(at).toLocaleString() },
              {
                title: s('runs.workflow'),
                key: 'workflow',
                render: (_, run) => (
                  <Link to={`/automation/workflows/${run.workflowId}`}>{`${names.get(run.workflowId) ?? run.workflowId} · v${run.version}`}</Link>
                ),
              },
              { title: s('runs.status'), dataIndex: 'status', render: (v: string) => <Tag color={COLORS[v]}>{s(`run.${v as 'FAILED'}`)}</Tag> },
              { title: s('runs.record'), key: 'record', render: (_, run) => record(run) },
              { title: s('runs.event'), dataIndex: 'eventType', responsive: ['md'] },
              { title: s('runs.current'), dataIndex: 'currentStep', responsive: ['lg'] },
            ]}
          />
          <ListFooter
            total={shown ? s('runs.total', { count: shown.workflowRuns.totalCount }) : null}
            hasPrevious={list.hasPrevious}
            hasNext={!!shown?.workflowRuns.pageInfo.hasNextPage}
            onPage={(forward) => list.page(forward, shown?.workflowRuns.pageInfo.endCursor)}
          />
        </>
      )}
    </Space>
  );
}
