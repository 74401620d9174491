import { DownOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Col, Descriptions, Dropdown, Flex, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { Articles } from './Articles';
import { Conversation } from './Conversation';
import { NEXT, PRIORITY_COLOURS, STATUS_COLOURS, TONE, type Target } from './labels';
import { ContactNameQuery, ServiceTeamsQuery, TicketQuery } from './operations';
import { ReplyBox } from './ReplyBox';
import { SlaClocks } from './SlaClocks';
import { strings } from './strings';
import { AssignDialog, EditDialog, ReviewDialog, StatusDialog } from './TicketDialogs';

type Dialog = { kind: 'status'; to: Target } | { kind: 'assign' | 'edit' | 'approve' | 'sendBack' };
const when = (iso: string) => new Date(iso).toLocaleString();

/** One ticket: header, SLA clocks, the conversation with the reply box, status, assignment and edits,
 * knowledge-base articles and, for a complaint, its review. Stacked in one column on a phone. */
export default function TicketPage() {
  const s = useStrings(strings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(TicketQuery, { variables: { id: id! }, pollInterval: 60_000 });
  const ticket = data?.ticket;
  const contact = useQuery(ContactNameQuery, { variables: { id: ticket?.contactId ?? '' }, skip: !ticket?.contactId });
  const teams = useQuery(ServiceTeamsQuery);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const again = useCallback(() => void refetch(), [refetch]);

  if (!ticket && error) return <ErrorState error={error} retry={again} />;
  if (!ticket) return <Skeleton active />;
  const works = can('support:ticket:update');
  const team = teams.data?.serviceTeams.find((t) => t.id === ticket.teamId)?.name;
  const contactName = contact.data?.contact.name;
  const close = () => setDialog(null);
  const reopening = ['RESOLVED', 'CLOSED'].includes(ticket.status);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="start" wrap gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0, overflowWrap: 'anywhere' }}>
            {ticket.number} {ticket.subject}
          </Typography.Title>
          <Flex wrap gap={4} style={{ marginTop: 8 }}>
            <Tag color={STATUS_COLOURS[ticket.status]} aria-label={`${s('status')}: ${s(`status.${ticket.status}`)}`}>
              {s(`status.${ticket.status}`)}
            </Tag>
            <Tag color={PRIORITY_COLOURS[ticket.priority]}>{s(`priority.${ticket.priority}`)}</Tag>
            <Tag>{s(`type.${ticket.type}`)}</Tag>
            {ticket.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </Flex>
        </div>
        {works && (
          <Flex wrap gap={8}>
            <Dropdown
              trigger={['click']}
              menu={{
                items: NEXT[ticket.status].map((to) => ({
                  key: to,
                  label: to === 'OPEN' && reopening ? s('reopen') : s(`to.${to}`),
                  onClick: () => setDialog({ kind: 'status', to }),
                })),
              }}
            >
              <Button>
                {s('changeStatus')} <DownOutlined />
              </Button>
            </Dropdown>
            {can('support:ticket:assign') && <Button onClick={() => setDialog({ kind: 'assign' })}>{s('assign')}</Button>}
            <Button onClick={() => setDialog({ kind: 'edit' })}>{s('edit')}</Button>
          </Flex>
        )}
      </Flex>
      <SlaClocks clocks={ticket.slaClocks} onDue={again} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('conversation', { count: ticket.entries.length })}</h2>}>
              {ticket.description && (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{ticket.description}</Typography.Paragraph>
              )}
              <Conversation entries={ticket.entries} contact={contactName} />
            </Card>
            {works && <ReplyBox ticketId={ticket.id} />}
          </Space>
        </Col>
        <Col xs={24} lg={8}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {ticket.type === 'COMPLAINT' && (
              <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('review')}</h2>}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <span>
                    <Tag color={{ APPROVED: TONE.green, REJECTED: TONE.red, PENDING: TONE.orange, NONE: undefined }[ticket.review]}>
                      {s(`review.${ticket.review}`)}
                    </Tag>
                    {ticket.reviewedBy && s('review.by', { name: ticket.reviewedBy.displayName })}
                  </span>
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={s('rootCause')}>{ticket.rootCause}</Descriptions.Item>
                    <Descriptions.Item label={s('resolution')}>{ticket.resolution}</Descriptions.Item>
                  </Descriptions>
                  {can('support:ticket:review') && ticket.review === 'PENDING' && (
                    <Flex wrap gap={8}>
                      <Button type="primary" onClick={() => setDialog({ kind: 'approve' })}>
                        {s('approve')}
                      </Button>
                      <Button danger onClick={() => setDialog({ kind: 'sendBack' })}>
                        {s('sendBack')}
                      </Button>
                    </Flex>
                  )}
                </Space>
              </Card>
            )}
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('details')}</h2>}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={s('account')}>
                  {ticket.account ? <Link to={`/accounts/${ticket.account.id}`}>{ticket.account.name}</Link> : s('noAccount')}
                </Descriptions.Item>
                <Descriptions.Item label={s('contact')}>{contactName}</Descriptions.Item>
                <Descriptions.Item label={s('channel')}>{s(`channel.${ticket.channel}`)}</Descriptions.Item>
                <Descriptions.Item label={s('team')}>{team}</Descriptions.Item>
                <Descriptions.Item label={s('assignee')}>{ticket.assignee?.displayName ?? s('unassigned')}</Descriptions.Item>
                <Descriptions.Item label={s('createdAt')}>{when(ticket.createdAt)}</Descriptions.Item>
                {ticket.escalatedTo && (
                  <Descriptions.Item label={s('sla')}>
                    {s('escalated', { level: ticket.escalationLevel, name: ticket.escalatedTo.displayName })}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Articles ticketId={ticket.id} subject={ticket.subject} linked={ticket.articles} canLink={works} />
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('history')}</h2>}>
              <Timeline
                items={ticket.history.map((h) => ({
                  children: (
                    <>
                      <div>
                        {h.fromStatus ? `${s(`status.${h.fromStatus}`)} → ${s(`status.${h.toStatus}`)}` : s('created')}
                        {h.reason && ` · ${h.reason}`}
                      </div>
                      <Typography.Text type="secondary">
                        {when(h.at)}
                        {h.actor && ` · ${h.actor.displayName}`}
                      </Typography.Text>
                    </>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      <StatusDialog ticket={ticket} to={dialog?.kind === 'status' ? dialog.to : null} open={dialog?.kind === 'status'} onClose={close} />
      <AssignDialog ticket={ticket} open={dialog?.kind === 'assign'} onClose={close} />
      <EditDialog ticket={ticket} open={dialog?.kind === 'edit'} onClose={close} />
      <ReviewDialog ticket={ticket} approve open={dialog?.kind === 'approve'} onClose={close} />
      <ReviewDialog ticket={ticket} approve={false} open={dialog?.kind === 'sendBack'} onClose={close} />
    </Space>
  );
}
