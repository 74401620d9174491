import { useQuery } from '@apollo/client/react';
import { Button, Card, Descriptions, Flex, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { sourceLabel } from '../leads/labels';
import { strings as leadStrings } from '../leads/strings';
import { CloseOpportunityDialog, EditOpportunityDialog } from './OpportunityDialogs';
import { forecastLabel, money, opportunityStatusLabel, quoteStatusLabel } from './labels';
import { OpportunityContactOptionsQuery, OpportunityQuery } from './operations';
import { ReopenOpportunityDialog } from './ReopenOpportunityDialog';
import { strings } from './strings';

const when = (iso: string | null | undefined) => iso && new Date(iso).toLocaleString();

/** One opportunity: its details, the stages it went through and its quote versions. */
export default function OpportunityPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const ls = useStrings(leadStrings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(OpportunityQuery, { variables: { id: id! } });
  const o = data?.opportunity;
  const contacts = useQuery(OpportunityContactOptionsQuery, {
    variables: { accountId: o?.account.id ?? '' },
    skip: !o?.contactId || !can('customer:contact:read'),
  });
  const [dialog, setDialog] = useState<'edit' | 'won' | 'lost' | 'reopen' | null>(null);

  if (!o && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!o) return <Skeleton active />;

  const mayUpdate = can('sales:opportunity:update');
  const contact = o.contactId && contacts.data?.contacts.edges.find((e) => e.node.id === o.contactId)?.node;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {o.name} <Tag>{o.stage.name}</Tag> <Tag>{opportunityStatusLabel(t, o.status)}</Tag>
        </Typography.Title>
        <Space wrap>
          {mayUpdate && o.status === 'open' && (
            <>
              <Button onClick={() => setDialog('edit')}>{s('opp.edit')}</Button>
              <Button type="primary" onClick={() => setDialog('won')}>
                {s('opp.won')}
              </Button>
              <Button danger onClick={() => setDialog('lost')}>
                {s('opp.lost')}
              </Button>
            </>
          )}
          {mayUpdate && o.status !== 'open' && <Button onClick={() => setDialog('reopen')}>{s('opp.reopen')}</Button>}
          <Link to="/pipeline">{t('board.open')}</Link>
        </Space>
      </Flex>
      {dialog === 'edit' && <EditOpportunityDialog opportunity={o} onClose={() => setDialog(null)} />}
      {(dialog === 'won' || dialog === 'lost') && (
        <CloseOpportunityDialog
          opportunity={o}
          won={dialog === 'won'}
          onClose={() => setDialog(null)}
          onClosed={() => void refetch()}
        />
      )}
      {dialog === 'reopen' && (
        <ReopenOpportunityDialog opportunity={o} onClose={() => setDialog(null)} onReopened={() => void refetch()} />
      )}
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('opps.account')}>
            <Link to={`/accounts/${o.account.id}`}>{o.account.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.amount')}>{money(o.amount, o.currency)}</Descriptions.Item>
          <Descriptions.Item label={t('opps.probability')}>{o.probability}%</Descriptions.Item>
          <Descriptions.Item label={t('opps.close')}>{o.expectedCloseDate}</Descriptions.Item>
          <Descriptions.Item label={t('opps.forecastCategory')}>{forecastLabel(s, o.forecastCategory)}</Descriptions.Item>
          {o.contactId && (
            <Descriptions.Item label={s('opp.contact')}>{contact ? contact.name : ''}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('opps.owner')}>{o.owner.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('leads.source')}>{o.source && sourceLabel(ls, o.source)}</Descriptions.Item>
          <Descriptions.Item label={t('opps.stageSince')}>{when(o.stageEnteredAt)}</Descriptions.Item>
          <Descriptions.Item label={t('leads.createdAt')}>{when(o.createdAt)}</Descriptions.Item>
          {o.leadId && (
            <Descriptions.Item label={t('opps.lead')}>
              <Link to={`/leads/${o.leadId}`}>{t('opps.openLead')}</Link>
            </Descriptions.Item>
          )}
          {o.closedAt && <Descriptions.Item label={t('opps.closedAt')}>{when(o.closedAt)}</Descriptions.Item>}
          {o.closeReason && <Descriptions.Item label={t('opps.closeReason')}>{o.closeReason}</Descriptions.Item>}
          {o.competitor && <Descriptions.Item label={t('opps.competitor')}>{o.competitor}</Descriptions.Item>}
          {o.description && <Descriptions.Item label={t('opps.description')}>{o.description}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('opps.quotes')}</h2>}
        extra={
          o.status === 'open' &&
          can('sales:quote:create') && (
            <Link to={`/quotes/new?opportunityId=${o.id}`}>{t('quotes.new')}</Link>
          )
        }
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={o.quotes}
          locale={{ emptyText: t('dash.none') }}
          columns={[
            { title: t('quotes.version'), dataIndex: 'version', render: (v: number, q) => <Link to={`/quotes/${q.id}`}>{`V${v}`}</Link> },
            { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{quoteStatusLabel(t, s)}</Tag> },
            { title: t('quotes.total'), key: 'total', render: (_, q) => money(q.total, q.currency) },
            { title: t('quotes.discount'), dataIndex: 'effectiveDiscount', responsive: ['md'], render: (d: string) => `${d}%` },
            { title: t('quotes.validUntil'), dataIndex: 'validUntil', responsive: ['md'] },
            { title: t('opps.owner'), key: 'owner', responsive: ['lg'], render: (_, q) => q.owner.displayName },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('opps.history')}</h2>}>
        <Timeline
          items={o.stageHistory.map((visit) => ({
            key: `${visit.stageId}-${visit.enteredAt}`,
            children: (
              <>
                <strong>{visit.stageName}</strong> · {t('opps.days', { days: visit.days.toFixed(1) })}
                <div>
                  <Typography.Text type="secondary">
                    {when(visit.enteredAt)}
                    {visit.actor && ` · ${visit.actor.displayName}`}
                  </Typography.Text>
                </div>
              </>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}
