import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Flex, Grid, Input, List, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { SlaRisk, TicketFilter, TicketOrder, TicketPriority, TicketRowFragment, TicketStatus, TicketType } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { useSession } from '../auth/useSession';
import { ORDERS, PRIORITIES, PRIORITY_COLOURS, RISKS, STATUSES, STATUS_COLOURS, TYPES } from './labels';
import { ServiceTeamsQuery, TicketsQuery } from './operations';
import { SlaTag } from './sla';
import { strings } from './strings';

const PARAMS = ['view', 'search', 'status', 'priority', 'type', 'teamId', 'assigneeId', 'sla', 'sort'] as const;
const VIEWS = ['mine', 'team', 'all'] as const;

/** The agent's queues (my tickets, the team's unassigned ones, all the caller sees) with filters, search,
 * sort and cursor pages in the URL; each row shows its SLA state. On a phone the rows are cards. */
export default function TicketsPage() {
  const s = useStrings(strings);
  const me = useSession()!.sub;
  const phone = !Grid.useBreakpoint().md;
  const navigate = useNavigate();
  const { filter: p, set, update, page, after, hasPrevious } = useListParams(PARAMS);
  const view = (p.view ?? (can('support:ticket:review') ? 'all' : 'mine')) as (typeof VIEWS)[number];
  const filter: TicketFilter = {
    search: p.search,
    status: p.status ? [p.status as TicketStatus] : null,
    priority: p.priority as TicketPriority | null,
    type: p.type as TicketType | null,
    teamId: p.teamId,
    assigneeId: view === 'mine' ? me : p.assigneeId,
    sla: p.sla as SlaRisk | null,
    ...(view === 'team' ? { unassigned: true, open: true } : {}),
    ...(view === 'mine' && !p.status ? { open: true } : {}),
  };
  const orderBy = (p.sort ?? 'CREATED_DESC') as TicketOrder;
  const { data, previousData, loading, error, refetch } = useQuery(TicketsQuery, { variables: { filter, orderBy, after } });
  const teams = useQuery(ServiceTeamsQuery);
  const shown = data ?? previousData;
  const rows = shown?.tickets.edges.map((e) => e.node) ?? [];
  const teamName = new Map(teams.data?.serviceTeams.map((t) => [t.id, t.name]));
  const agents = new Map(teams.data?.serviceTeams.flatMap((t) => t.members.map((m) => [m.user.id, m.user.displayName] as const)));
  const width = phone ? '1 1 140px' : '0 1 150px';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('title')}
        </Typography.Title>
        {can('support:ticket:create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/tickets/new')}>
            {s('new')}
          </Button>
        )}
      </Flex>
      <Segmented
        block={phone}
        value={view}
        onChange={(value) =>
          update((next) => {
            next.set('view', String(value));
            next.delete('assigneeId'); // "mine" is the caller; the other views pick anyone
          })
        }
        options={VIEWS.map((v) => ({ value: v, label: s(`view.${v}`) }))}
      />
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('search')}
          placeholder={s('search')}
          defaultValue={p.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 240px' }}
        />
        <Select
          aria-label={s('filter.status')}
          placeholder={s('status')}
          allowClear
          value={p.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={STATUSES.map((v) => ({ value: v, label: s(`status.${v}`) }))}
          style={{ flex: width }}
        />
        <Select
          aria-label={s('filter.priority')}
          placeholder={s('priority')}
          allowClear
          value={p.priority}
          onChange={(value?: string) => set('priority', value ?? null)}
          options={PRIORITIES.map((v) => ({ value: v, label: s(`priority.${v}`) }))}
          style={{ flex: width }}
        />
        <Select
          aria-label={s('filter.type')}
          placeholder={s('type')}
          allowClear
          value={p.type}
          onChange={(value?: string) => set('type', value ?? null)}
          options={TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))}
          style={{ flex: width }}
        />
        <Select
          aria-label={s('filter.sla')}
          placeholder={s('sla')}
          allowClear
          value={p.sla}
          onChange={(value?: string) => set('sla', value ?? null)}
          options={RISKS.map((v) => ({ value: v, label: s(`risk.${v}`) }))}
          style={{ flex: width }}
        />
        <Select
          aria-label={s('filter.team')}
          placeholder={s('team')}
          allowClear
          value={p.teamId}
          onChange={(value?: string) => set('teamId', value ?? null)}
          options={teams.data?.serviceTeams.map((t) => ({ value: t.id, label: t.name }))}
          style={{ flex: width }}
        />
        {view === 'all' && (
          <Select
            aria-label={s('filter.assignee')}
            placeholder={s('assignee')}
            allowClear
            showSearch
            optionFilterProp="label"
            value={p.assigneeId}
            onChange={(value?: string) => set('assigneeId', value ?? null)}
            options={[...agents].map(([value, label]) => ({ value, label }))}
            style={{ flex: width }}
          />
        )}
        <Select
          aria-label={s('sort')}
          value={orderBy}
          onChange={(value: string) => set('sort', value === 'CREATED_DESC' ? null : value)}
          options={ORDERS.map((v) => ({ value: v, label: s(`sort.${v}`) }))}
          style={{ flex: width }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {phone ? (
        <List
          loading={loading}
          dataSource={rows}
          renderItem={(row) => (
            <List.Item style={{ padding: '4px 0' }}>
              <TicketCard row={row} team={row.teamId ? teamName.get(row.teamId) : undefined} />
            </List.Item>
          )}
        />
      ) : (
        <Table
          rowKey="id"
          loading={loading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: s('number'), dataIndex: 'number', render: (number: string, row) => <Link to={`/tickets/${row.id}`}>{number}</Link> },
            { title: s('subject'), dataIndex: 'subject', ellipsis: true },
            { title: s('status'), dataIndex: 'status', render: (v: TicketStatus) => <Tag color={STATUS_COLOURS[v]}>{s(`status.${v}`)}</Tag> },
            { title: s('priority'), dataIndex: 'priority', render: (v: TicketPriority) => <Tag color={PRIORITY_COLOURS[v]}>{s(`priority.${v}`)}</Tag> },
            { title: s('sla'), key: 'sla', render: (_, row) => <SlaTag clocks={row.slaClocks} /> },
            { title: s('account'), key: 'account', responsive: ['lg'], render: (_, row) => row.account?.name ?? s('noAccount') },
            { title: s('team'), key: 'team', responsive: ['xl'], render: (_, row) => (row.teamId && teamName.get(row.teamId)) ?? '' },
            { title: s('assignee'), key: 'assignee', render: (_, row) => row.assignee?.displayName ?? s('unassigned') },
            { title: s('createdAt'), dataIndex: 'createdAt', responsive: ['lg'], render: (at: string) => new Date(at).toLocaleString() },
          ]}
        />
      )}
      <ListFooter
        total={shown ? s(shown.tickets.totalCountIsExact ? 'total' : 'totalAbout', { count: shown.tickets.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.tickets.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.tickets.pageInfo.endCursor)}
      />
    </Space>
  );
}

/** A queue row on a phone: the whole card is one large link to the ticket. */
export function TicketCard({ row, team }: { row: TicketRowFragment; team?: string }) {
  const s = useStrings(strings);
  return (
    <Link to={`/tickets/${row.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
      <Card size="small" hoverable>
        <Flex vertical gap={4}>
          <Flex justify="space-between" gap={8}>
            <Typography.Text strong>{row.number}</Typography.Text>
            <SlaTag clocks={row.slaClocks} />
          </Flex>
          <Typography.Text style={{ overflowWrap: 'anywhere' }}>{row.subject}</Typography.Text>
          <Flex wrap gap={4}>
            <Tag color={STATUS_COLOURS[row.status]}>{s(`status.${row.status}`)}</Tag>
            <Tag color={PRIORITY_COLOURS[row.priority]}>{s(`priority.${row.priority}`)}</Tag>
          </Flex>
          <Typography.Text type="secondary">
            {[row.account?.name ?? s('noAccount'), team, row.assignee?.displayName ?? s('unassigned')].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      </Card>
    </Link>
  );
}
