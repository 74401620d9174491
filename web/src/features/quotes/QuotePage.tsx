import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { ApprovalFieldsFragment, QuoteDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { ContractDialog } from '../billing/ContractDialog';
import { money, quoteStatusLabel } from '../opportunities/labels';
import { ApprovalPanel } from '../approvals/ApprovalPanel';
import { AcceptQuoteMutation, QuoteQuery, SubmitQuoteMutation } from './operations';

const when = (iso: string | null | undefined) => iso && new Date(iso).toLocaleString();

/** One quote version: its lines and the totals the API computed, what happened to it, and the next step
 * (submit; its approval's levels decide; the customer accepts; a contract from the accepted quote). */
export default function QuotePage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch, startPolling, stopPolling } = useQuery(QuoteQuery, { variables: { id: id! } });
  const [submitQuote, submitting] = useMutation(SubmitQuoteMutation);
  const [accept, accepting] = useMutation(AcceptQuoteMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'contract' | null>(null);
  const q = data?.quote;
  // submitted: until automation has opened its approval, and once decided until sales has applied it
  const settling = q?.status === 'pending_approval' && (!q.approval || q.approval.status !== 'PENDING');
  useEffect(() => {
    if (!settling) return;
    startPolling(1000);
    return stopPolling;
  }, [settling, startPolling, stopPolling]);

  if (!q && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!q) return <Skeleton active />;

  async function act(run: () => Promise<unknown>) {
    setProblem(null);
    try {
      await run();
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('quotes.titleOne', { version: q.version })} <Tag>{quoteStatusLabel(t, q.status)}</Tag>
        </Typography.Title>
        <Flex wrap gap={8}>
          {q.status === 'draft' && can('sales:quote:update') && (
            <Button type="primary" loading={submitting.loading} onClick={() => act(() => submitQuote({ variables: { id: q.id } }))}>
              {t('quotes.submit')}
            </Button>
          )}
          {q.status === 'approved' && can('sales:quote:update') && (
            <Button type="primary" loading={accepting.loading} onClick={() => act(() => accept({ variables: { id: q.id } }))}>
              {s('quotes.accept')}
            </Button>
          )}
          {q.status === 'accepted' && can('sales:contract:create') && (
            <Button onClick={() => setDialog('contract')}>{t('contracts.fromQuote')}</Button>
          )}
          {can('sales:quote:create') && ['draft', 'rejected', 'approved', 'pending_approval'].includes(q.status) && (
            <Link to={`/quotes/new?opportunityId=${q.opportunityId}`}>{s('quotes.newVersion')}</Link>
          )}
        </Flex>
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" message={problem} closable onClose={() => setProblem(null)} />}
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('opps.account')}>
            <Link to={`/accounts/${q.account.id}`}>{q.account.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('quotes.opportunity')}>
            <Link to={`/opportunities/${q.opportunityId}`}>{t('quotes.openOpportunity')}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.owner')}>{q.owner.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.validUntil')}>{q.validUntil ?? '—'}</Descriptions.Item>
          {q.orderId && (
            <Descriptions.Item label={t('orders.one')}>
              <Link to={`/orders/${q.orderId}`}>{t('orders.open')}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('quotes.lines')}</h2>}>
        <Table
          rowKey="position"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={q.lines}
          columns={[
            { title: t('quotes.product'), dataIndex: 'name' },
            { title: t('quotes.quantity'), dataIndex: 'quantity', render: (v: string) => Number(v).toLocaleString() },
            { title: s('quotes.listPrice'), dataIndex: 'listPrice', responsive: ['md'], render: (v: string) => money(v, q.currency) },
            { title: t('quotes.unitPrice'), dataIndex: 'unitPrice', render: (v: string) => money(v, q.currency) },
            { title: t('quotes.lineDiscount'), dataIndex: 'discountPercent', render: (v: string) => `${Number(v)}%` },
            { title: t('quotes.lineTotal'), dataIndex: 'total', render: (v: string) => money(v, q.currency) },
          ]}
        />
        <Totals quote={q} />
      </Card>
      {q.approval && <ApprovalPanel approval={q.approval} onDecided={() => void refetch()} />}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('quotes.history')}</h2>}>
        <History quote={q} approval={q.approval} />
      </Card>
      {q.status === 'accepted' && <ContractDialog quote={q} open={dialog === 'contract'} onClose={() => setDialog(null)} />}
    </Space>
  );
}

function Totals({ quote: q }: { quote: QuoteDetailFragment }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  return (
    <section aria-label={s('quotes.totals')} style={{ marginTop: 16, maxWidth: 420, marginLeft: 'auto' }}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={s('quotes.subtotal')}>{money(q.subtotal, q.currency) || `0 ${q.currency}`}</Descriptions.Item>
        <Descriptions.Item label={s('quotes.quoteDiscountOf', { percent: Number(q.discountPercent) })}>
          −{money(q.discountAmount, q.currency) || `0 ${q.currency}`}
        </Descriptions.Item>
        <Descriptions.Item label={s('quotes.taxOf', { percent: Number(q.taxRate) })}>
          {money(q.taxAmount, q.currency) || `0 ${q.currency}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('quotes.total')}>
          <strong>{money(q.total, q.currency)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={s('quotes.effectiveDiscount')}>{Number(q.effectiveDiscount)}%</Descriptions.Item>
      </Descriptions>
    </section>
  );
}

/** What the API records of a quote's way: made, submitted, the level it waits at and on whom, decided (by whom,
 * why), accepted. */
function History({ quote: q, approval }: { quote: QuoteDetailFragment; approval?: ApprovalFieldsFragment | null }) {
  const { t, language } = useI18n();
  const s = useStrings(strings);
  const decided = q.decidedAt && ['approved', 'rejected', 'accepted'].includes(q.status);
  const rejected = q.status === 'rejected';
  // the level the approval is at and whom it waits on, as its card says
  const a = approval?.status === 'PENDING' ? approval : null;
  const waiting = a
    ? s('quotes.waitingOn', { level: a.level, count: a.levelCount, names: a.currentApprovers.map((u) => u.displayName).join(language === 'en' ? ', ' : '、') })
    : s('quotes.waiting');
  const items = [
    { key: 'created', children: `${s('quotes.created')} · ${when(q.createdAt)}` },
    q.submittedAt && { key: 'submitted', children: `${s('quotes.submitted')} · ${when(q.submittedAt)}` },
    q.submittedAt && !q.decidedAt && q.status === 'pending_approval' && { key: 'waiting', color: 'gray', children: waiting },
    decided && {
      key: 'decided',
      color: rejected ? 'red' : 'green',
      children: (
        <>
          {rejected ? t('quoteStatus.rejected') : t('quoteStatus.approved')} · {when(q.decidedAt)}
          <div>
            <Typography.Text type="secondary">
              {q.approver
                ? q.decisionComment
                  ? s('quotes.decidedWith', { name: q.approver.displayName, comment: q.decisionComment })
                  : q.approver.displayName
                : s('quotes.autoApproved')}
            </Typography.Text>
          </div>
        </>
      ),
    },
    q.status === 'accepted' && { key: 'accepted', color: 'green', children: t('quoteStatus.accepted') },
    q.status === 'superseded' && { key: 'superseded', color: 'gray', children: t('quoteStatus.superseded') },
  ].filter((item) => !!item);
  return <Timeline items={items} />;
}
