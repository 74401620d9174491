import { useQuery } from '@apollo/client/react';
import { List, Row, Skeleton } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { Panel } from '../dashboard/Panel';
import { TicketsQuery } from './operations';
import { SlaTag } from './sla';
import { strings } from './strings';

/** A support agent's or service manager's home: their open tickets, and those at risk of breaching
 * their SLA or breached among the tickets they work on; each opens the ticket. */
export default function AgentHome({ me }: { me: string }) {
  const s = useStrings(strings);
  const panels = [
    { key: 'dash.mine', filter: { assigneeId: me, open: true }, all: '/tickets?view=mine' },
    { key: 'dash.atRisk', filter: { sla: 'AT_RISK' as const }, all: '/tickets?view=all&sla=AT_RISK' },
    { key: 'dash.breached', filter: { sla: 'BREACHED' as const }, all: '/tickets?view=all&sla=BREACHED' },
  ] as const;
  return (
    <Row gutter={[16, 16]}>
      {panels.map((panel) => (
        <Panel key={panel.key} title={s(panel.key)}>
          <Tickets filter={panel.filter} />
          <Link to={panel.all}>{s('dash.all')}</Link>
        </Panel>
      ))}
    </Row>
  );
}

function Tickets({ filter }: { filter: { assigneeId?: string; open?: boolean; sla?: 'AT_RISK' | 'BREACHED' } }) {
  const s = useStrings(strings);
  const { data, error, refetch } = useQuery(TicketsQuery, { variables: { filter, orderBy: 'CREATED_ASC', first: 10 } });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  return (
    <List
      dataSource={data.tickets.edges.map((e) => e.node)}
      locale={{ emptyText: s('dash.none') }}
      renderItem={(ticket) => (
        <List.Item>
          <Link to={`/tickets/${ticket.id}`} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
            {ticket.number} {ticket.subject}
          </Link>
          <SlaTag clocks={ticket.slaClocks} />
        </List.Item>
      )}
    />
  );
}
