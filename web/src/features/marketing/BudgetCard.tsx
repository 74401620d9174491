import { useMutation } from '@apollo/client/react';
import { App, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import type { CampaignQuery as Campaign } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { ApprovalHistory, DecideButtons } from '../approvals/ApprovalPanel';
import { money } from '../opportunities/labels';
import { SubmitBudgetMutation } from './operations';
import { strings } from './strings';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The budget's lines and where its approval stands: its owner submits it, the approval's level and history
 * show who decides; they approve or reject it here (a rejection with its reason). */
export function BudgetCard({ campaign, refetch }: { campaign: Campaign['campaign']; refetch: () => unknown }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [submit, submitting] = useMutation(SubmitBudgetMutation, { refetchQueries: ['Campaign'] });
  const status = campaign.budgetStatus;
  const submittable = (status === 'DRAFT' || status === 'REJECTED') && campaign.status === 'PLANNED';
  const approval = campaign.budgetApproval;

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
          { title: s('field.amount'), dataIndex: 'amount', align: 'right', render: (amount: string) => money(amount, campaign.currency) },
          { title: s('field.note'), dataIndex: 'note', responsive: ['sm'] },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{s('field.budget')}</Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <strong>{money(campaign.budgetTotal, campaign.currency) || `0 ${campaign.currency}`}</strong>
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
        {status === 'SUBMITTED' && approval && approval.status === 'PENDING' && (
          <Typography.Text type="secondary">
            {s('campaign.approvalLevel', { level: approval.level, count: approval.levelCount })}
            {' · '}
            {s('campaign.approvers', { names: approval.currentApprovers.map((user) => user.displayName).join('、') })}
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
      </Flex>
      {approval && (
        <div style={{ marginTop: 12 }}>
          <ApprovalHistory approval={approval} />
          <DecideButtons approval={approval} onDecided={() => void refetch()} />
        </div>
      )}
    </Card>
  );
}
