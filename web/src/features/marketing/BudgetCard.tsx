import { useMutation } from '@apollo/client/react';
import { App, Button, Card, Flex, Form, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { FormDialog } from '../../components/FormDialog';
import { useSession } from '../auth/useSession';
import type { CampaignQuery as Campaign } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { ApproveBudgetMutation, RejectBudgetMutation, SubmitBudgetMutation } from './operations';
import { strings } from './strings';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The budget's lines and where its approval stands: its owner submits it, a manager above the
 * submitter approves or rejects it with a note (the API's four-eyes refusal shown in its words). */
export function BudgetCard({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSession()?.sub;
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  const [submit, submitting] = useMutation(SubmitBudgetMutation, { refetchQueries: ['Campaign'] });
  const [approve] = useMutation(ApproveBudgetMutation, { refetchQueries: ['Campaign'] });
  const [reject] = useMutation(RejectBudgetMutation, { refetchQueries: ['Campaign'] });
  const status = campaign.budgetStatus;
  const submittable = (status === 'DRAFT' || status === 'REJECTED') && campaign.status === 'PLANNED';
  const decidable = status === 'SUBMITTED' && campaign.budgetApprovers.some((user) => user.id === me);

  async function submitIt() {
    try {
      await submit({ variables: { id: campaign.id } });
      void message.success(s('campaign.submitted'));
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('field.budget')}</h2>}
      extra={<Tag color={status === 'REJECTED' ? 'red' : status === 'SUBMITTED' ? 'blue' : undefined}>{s(`budget.${status}`)}</Tag>}
    >
      <Table
        rowKey={(_, index) => String(index)}
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={campaign.budgetLines}
        columns={[
          { title: s('field.category'), dataIndex: 'category' },
          { title: s('field.amount'), dataIndex: 'amount', align: 'right' },
          { title: s('field.note'), dataIndex: 'note', responsive: ['sm'] },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{s('field.budget')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <strong>{`${campaign.budgetTotal} ${campaign.currency}`}</strong>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Flex vertical gap={4} style={{ marginTop: 12 }}>
        {campaign.budgetSubmittedBy && campaign.budgetSubmittedAt && (
          <Typography.Text type="secondary">
            {s('campaign.submittedBy', { name: campaign.budgetSubmittedBy.displayName, when: when(campaign.budgetSubmittedAt) })}
          </Typography.Text>
        )}
        {status === 'SUBMITTED' && campaign.budgetApprovers.length > 0 && (
          <Typography.Text type="secondary">
            {s('campaign.approvers', { names: campaign.budgetApprovers.map((user) => user.displayName).join('、') })}
          </Typography.Text>
        )}
        {campaign.budgetDecidedBy && campaign.budgetDecidedAt && (
          <Typography.Text type="secondary">
            {s('campaign.decidedBy', { name: campaign.budgetDecidedBy.displayName, when: when(campaign.budgetDecidedAt) })}
            {campaign.budgetNote && ` · ${campaign.budgetNote}`}
          </Typography.Text>
        )}
      </Flex>
      <Flex wrap gap={8} style={{ marginTop: 12 }}>
        {submittable && can('marketing:campaign:update') && (
          <Button type="primary" loading={submitting.loading} onClick={() => void submitIt()}>
            {s('campaign.submit')}
          </Button>
        )}
        {decidable && (
          <>
            <Button type="primary" onClick={() => setDeciding('approve')}>
              {s('campaign.approve')}
            </Button>
            <Button danger onClick={() => setDeciding('reject')}>
              {s('campaign.reject')}
            </Button>
          </>
        )}
      </Flex>
      <FormDialog<{ note: string }>
        title={deciding === 'reject' ? s('campaign.reject') : s('campaign.approve')}
        open={deciding !== null}
        onClose={() => setDeciding(null)}
        initialValues={{ note: '' }}
        run={async ({ note }) => {
          const variables = { id: campaign.id, note: note.trim() || null };
          if (deciding === 'reject') await reject({ variables });
          else await approve({ variables });
          void message.success(deciding === 'reject' ? s('campaign.rejected') : s('campaign.approved'));
        }}
      >
        {() => (
          <Form.Item name="note" label={s('campaign.decisionNote')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
      </FormDialog>
    </Card>
  );
}
