import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Flex, Form, Select, Skeleton, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { TextDialog } from '../../components/TextDialog';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { sourceLabel, statusLabel } from './labels';
import {
  AssignLeadMutation,
  ConvertLeadMutation,
  DisqualifyLeadMutation,
  LeadQuery,
  QualifyLeadMutation,
} from './operations';

const OPEN = ['new', 'contacted', 'qualified'];
const when = (iso: string | null | undefined) => iso && new Date(iso).toLocaleString();

/** One lead: its details, assignment, qualification and conversion. Conversion runs across services:
 * while the API reports it pending the page asks again each second and then shows what came of it. */
export default function LeadPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch, startPolling, stopPolling } = useQuery(LeadQuery, { variables: { id: id! } });
  const [qualify, qualifying] = useMutation(QualifyLeadMutation);
  const [convert, converting] = useMutation(ConvertLeadMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'assign' | 'disqualify' | null>(null);
  const lead = data?.lead;
  const pending = lead?.conversionStatus === 'pending';

  useEffect(() => {
    if (!pending) return;
    startPolling(1000);
    return () => stopPolling();
  }, [pending, startPolling, stopPolling]);

  if (!lead && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!lead) return <Skeleton active />;
  const open = OPEN.includes(lead.status) && !pending;

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
          {lead.company} <Tag>{statusLabel(t, lead.status)}</Tag>
        </Typography.Title>
        <Flex wrap gap={8}>
          {can('sales:lead:assign') && open && <Button onClick={() => setDialog('assign')}>{s('leads.assign')}</Button>}
          {can('sales:lead:update') && open && lead.status !== 'qualified' && (
            <Button loading={qualifying.loading} onClick={() => act(() => qualify({ variables: { id: lead.id } }))}>
              {s('leads.qualify')}
            </Button>
          )}
          {can('sales:lead:update') && open && (
            <Button danger onClick={() => setDialog('disqualify')}>
              {s('leads.disqualify')}
            </Button>
          )}
          {can('sales:lead:convert') && open && (
            <Button type="primary" loading={converting.loading} onClick={() => act(() => convert({ variables: { id: lead.id } }))}>
              {lead.conversionStatus === 'failed' ? s('leads.convertAgain') : s('leads.convert')}
            </Button>
          )}
        </Flex>
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      {pending && (
        <Alert
          type="info"
          showIcon
          icon={<Spin size="small" />}
          role="status"
          message={s('leads.converting')}
          description={s('leads.convertingDetail')}
        />
      )}
      {lead.conversionStatus === 'done' && (
        <Alert
          type="success"
          showIcon
          role="status"
          message={s('leads.converted', { when: when(lead.convertedAt) ?? '' })}
          description={
            <Space direction="vertical" size={2}>
              {lead.account && (
                <span>
                  {s('leads.account')}: <Link to={`/accounts/${lead.account.id}`}>{lead.account.name}</Link>
                </span>
              )}
              {lead.opportunity && (
                <span>
                  {s('leads.opportunity')}: <Link to={`/opportunities/${lead.opportunity.id}`}>{lead.opportunity.name}</Link>
                </span>
              )}
            </Space>
          }
        />
      )}
      {lead.conversionStatus === 'failed' && (
        <Alert type="error" showIcon role="alert" message={s('leads.conversionFailed')} description={lead.conversionError} />
      )}
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={s('leads.contactName')}>{lead.contactName}</Descriptions.Item>
          <Descriptions.Item label={s('leads.contactTitle')}>{lead.title}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.phone')}>{lead.phone}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.email')}>{lead.email}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.industry')}>{lead.industry}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.city')}>
            {[lead.province, lead.city].filter(Boolean).join(' · ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('leads.source')}>{sourceLabel(s, lead.source)}</Descriptions.Item>
          <Descriptions.Item label={s('leads.score')}>{lead.score}</Descriptions.Item>
          <Descriptions.Item label={s('leads.activities')}>{lead.activityCount}</Descriptions.Item>
          <Descriptions.Item label={s('leads.owner')}>{lead.owner?.displayName ?? s('leads.unassigned')}</Descriptions.Item>
          <Descriptions.Item label={s('leads.assignedAt')}>{when(lead.assignedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('leads.createdAt')}>{when(lead.createdAt)}</Descriptions.Item>
          {lead.disqualifyReason && (
            <Descriptions.Item label={s('leads.reason')}>{lead.disqualifyReason}</Descriptions.Item>
          )}
          {lead.notes && <Descriptions.Item label={s('leads.notes')}>{lead.notes}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <AssignDialog leadId={lead.id} open={dialog === 'assign'} onClose={() => setDialog(null)} />
      <DisqualifyDialog leadId={lead.id} open={dialog === 'disqualify'} onClose={() => setDialog(null)} />
    </Space>
  );
}

/** Give the lead to someone; the API says whether the caller may give it to them (next to the field). */
function AssignDialog({ leadId, open, onClose }: { leadId: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const users = useQuery(ActiveUsersQuery, { skip: !open });
  const [assign] = useMutation(AssignLeadMutation);
  return (
    <FormDialog<{ ownerId?: string }>
      title={s('leads.assign')}
      open={open}
      onClose={onClose}
      initialValues={{}}
      run={({ ownerId }) => assign({ variables: { id: leadId, ownerId: ownerId! } })}
    >
      {() => (
        <Form.Item
          name="ownerId"
          label={s('leads.owner')}
          rules={[{ required: true, message: t('form.required', { field: s('leads.owner') }) }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={users.loading}
            options={userOptions(users.data)}
          />
        </Form.Item>
      )}
    </FormDialog>
  );
}

function DisqualifyDialog({ leadId, open, onClose }: { leadId: string; open: boolean; onClose: () => void }) {
  const s = useStrings(strings);
  const [disqualify] = useMutation(DisqualifyLeadMutation);
  return (
    <TextDialog
      title={s('leads.disqualify')}
      label={s('leads.reason')}
      field="reason"
      required
      open={open}
      onClose={onClose}
      run={(reason) => disqualify({ variables: { id: leadId, reason } })}
    />
  );
}
