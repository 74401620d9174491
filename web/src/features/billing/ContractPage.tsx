import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { TextDialog } from '../../components/TextDialog';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money } from '../opportunities/labels';
import { contractStatusLabel } from './labels';
import { ApprovalPanel } from '../approvals/ApprovalPanel';
import {
  ContractQuery,
  CreateOrderFromContractMutation,
  SignContractMutation,
  SubmitContractMutation,
  TerminateContractMutation,
} from './operations';

type Dialog = 'terminate' | null;

/** One contract and its next step: submit (its approval's levels decide: approved, or back to draft), sign,
 * order, terminate. */
export default function ContractPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(ContractQuery, { variables: { id: id! } });
  const [submitContract] = useMutation(SubmitContractMutation);
  const [sign] = useMutation(SignContractMutation);
  const [terminate] = useMutation(TerminateContractMutation);
  const [order] = useMutation(CreateOrderFromContractMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const c = data?.contract;

  if (!c && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!c) return <Skeleton active />;

  async function act(run: () => Promise<unknown>) {
    setProblem(null);
    setBusy(true);
    try {
      await run();
    } catch (failure) {
      setProblem(describe(failure, t));
    } finally {
      setBusy(false);
    }
  }

  const inForce = c.status === 'signed' || c.status === 'active';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {c.number} {c.title} <Tag>{contractStatusLabel(t, c.status)}</Tag>
        </Typography.Title>
        <Flex wrap gap={8}>
          {c.status === 'draft' && can('sales:contract:update') && (
            <Button type="primary" loading={busy} onClick={() => act(() => submitContract({ variables: { id: c.id } }))}>
              {t('quotes.submit')}
            </Button>
          )}
          {c.status === 'approved' && can('sales:contract:update') && (
            <Button type="primary" loading={busy} onClick={() => act(() => sign({ variables: { id: c.id } }))}>
              {s('contracts.sign')}
            </Button>
          )}
          {inForce && can('sales:order:create') && (
            <Button
              type="primary"
              loading={busy}
              onClick={() =>
                act(async () => {
                  const made = await order({ variables: { contractId: c.id } });
                  if (made.data) navigate(`/orders/${made.data.createOrderFromContract.id}`);
                })
              }
            >
              {s('contracts.order')}
            </Button>
          )}
          {inForce && can('sales:contract:update') && (
            <Button danger onClick={() => setDialog('terminate')}>
              {s('contracts.terminate')}
            </Button>
          )}
        </Flex>
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" message={problem} closable onClose={() => setProblem(null)} />}
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('opps.account')}>
            <Link to={`/accounts/${c.account.id}`}>{c.account.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={s('contracts.value')}>{money(c.value, c.currency)}</Descriptions.Item>
          <Descriptions.Item label={s('contracts.term')}>{`${c.startDate} ~ ${c.endDate}`}</Descriptions.Item>
          <Descriptions.Item label={t('opps.owner')}>{c.owner.displayName}</Descriptions.Item>
          {c.opportunityId && (
            <Descriptions.Item label={t('quotes.opportunity')}>
              <Link to={`/opportunities/${c.opportunityId}`}>{t('quotes.openOpportunity')}</Link>
            </Descriptions.Item>
          )}
          {c.approver && <Descriptions.Item label={s('contracts.approver')}>{c.approver.displayName}</Descriptions.Item>}
          {c.decisionComment && <Descriptions.Item label={t('quotes.comment')}>{c.decisionComment}</Descriptions.Item>}
          {c.signedOn && <Descriptions.Item label={s('contracts.signedOn')}>{c.signedOn}</Descriptions.Item>}
          {c.terminationReason && <Descriptions.Item label={s('contracts.reason')}>{c.terminationReason}</Descriptions.Item>}
          <Descriptions.Item label={t('leads.createdAt')}>{new Date(c.createdAt).toLocaleString()}</Descriptions.Item>
        </Descriptions>
        <Link to={`/orders?accountId=${c.account.id}`}>{s('contracts.accountOrders')}</Link>
      </Card>
      {c.approval && <ApprovalPanel approval={c.approval} onDecided={() => void refetch()} />}
      <TextDialog
        title={s('contracts.terminate')}
        label={s('contracts.reason')}
        field="reason"
        required
        open={dialog !== null}
        onClose={() => setDialog(null)}
        run={(text) => terminate({ variables: { id: c.id, reason: text } })}
      />
    </Space>
  );
}
