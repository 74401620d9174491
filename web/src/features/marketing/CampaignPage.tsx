import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { CampaignQuery as Campaign, CampaignStatus } from '../../gql/graphql';
import { money } from '../opportunities/labels';
import { useI18n, useStrings } from '../../i18n';
import { BudgetCard } from './BudgetCard';
import { CostsCard } from './CostsCard';
import { MembersCard } from './MembersCard';
import { PerformanceCard } from './PerformanceCard';
import { SmsCard } from './sms/SmsCard';
import { CampaignQuery, ChangeStatusMutation, SendCampaignMutation } from './operations';
import { strings } from './strings';

/** Where a campaign may go next from where it is (the API refuses the rest in its words). */
const NEXT: Partial<Record<CampaignStatus, CampaignStatus[]>> = {
  PLANNED: ['CANCELLED'],
  APPROVED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'CANCELLED'],
};

/** A campaign: details and goals, the budget and its approval, actual costs against it, members with
 * their status and, for an email or SMS campaign, sending with its progress (asked again each second while
 * messages are queued). */
export default function CampaignPage() {
  const { id } = useParams<{ id: string }>();
  const s = useStrings(strings);
  const { data, error, refetch, startPolling, stopPolling } = useQuery(CampaignQuery, { variables: { id: id! } });
  const campaign = data?.campaign;
  // mails queued, or a budget whose approval automation has not opened or marketing not yet applied
  const settling =
    campaign?.budgetStatus === 'SUBMITTED' && (!campaign.budgetApproval || campaign.budgetApproval.status !== 'PENDING');
  const queuing = (campaign?.sendProgress.queued ?? 0) > 0 || settling;
  useEffect(() => {
    if (!queuing) return;
    startPolling(1000);
    return stopPolling;
  }, [queuing, startPolling, stopPolling]);

  if (!campaign && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!campaign) return <Skeleton active />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/campaigns">{s('campaigns.back')}</Link>
      <Header campaign={campaign} />
      <Details campaign={campaign} />
      <BudgetCard campaign={campaign} refetch={refetch} />
      <CostsCard campaign={campaign} />
      <PerformanceCard campaignId={campaign.id} />
      {campaign.type === 'EMAIL' && <Sending campaign={campaign} />}
      {campaign.type === 'SMS' && <SmsCard campaignId={campaign.id} />}
      <MembersCard campaign={campaign} />
    </Space>
  );
}

function Header({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [change, changing] = useMutation(ChangeStatusMutation);
  const labels: Record<string, string> = {
    RUNNING: s('campaign.start'),
    COMPLETED: s('campaign.complete'),
    CANCELLED: s('campaign.cancel'),
  };

  async function move(status: CampaignStatus) {
    try {
      await change({ variables: { id: campaign.id, status } });
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  const editable = campaign.status === 'PLANNED' || campaign.status === 'APPROVED';
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {campaign.name} <Tag>{s(`type.${campaign.type}`)}</Tag>
        <Tag color="blue">{s(`status.${campaign.status}`)}</Tag>
      </Typography.Title>
      {can('marketing:campaign:update') && (
        <Flex wrap gap={8}>
          {editable && <Button onClick={() => navigate(`/campaigns/${campaign.id}/edit`)}>{s('campaign.edit')}</Button>}
          {(NEXT[campaign.status] ?? []).map((status) =>
            status === 'CANCELLED' ? (
              <Popconfirm key={status} title={s('campaign.cancelConfirm')} onConfirm={() => move(status)} okText={t('form.confirm')} cancelText={t('form.cancel')}>
                <Button danger loading={changing.loading}>
                  {labels[status]}
                </Button>
              </Popconfirm>
            ) : (
              <Button key={status} type="primary" loading={changing.loading} onClick={() => void move(status)}>
                {labels[status]}
              </Button>
            ),
          )}
        </Flex>
      )}
    </Flex>
  );
}

function Details({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const none = '—';
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('campaign.details')}</h2>}>
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
        <Descriptions.Item label={s('field.dates')}>{`${campaign.startsOn} – ${campaign.endsOn}`}</Descriptions.Item>
        <Descriptions.Item label={s('field.owner')}>{campaign.owner?.displayName}</Descriptions.Item>
        <Descriptions.Item label={s('field.currency')}>{campaign.currency}</Descriptions.Item>
        <Descriptions.Item label={s('field.goalLeads')}>{campaign.goalLeads ?? none}</Descriptions.Item>
        <Descriptions.Item label={s('field.goalOpportunities')}>{campaign.goalOpportunities ?? none}</Descriptions.Item>
        <Descriptions.Item label={s('field.goalRevenue')}>
          {money(campaign.goalRevenue, campaign.currency) || none}
        </Descriptions.Item>
        {campaign.type === 'EMAIL' && (
          <Descriptions.Item label={s('field.language')}>{campaign.language === 'en' ? s('templates.en') : s('templates.zh')}</Descriptions.Item>
        )}
        <Descriptions.Item label={s('field.description')} span={3}>
          {campaign.description || none}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Sending({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [send, sending] = useMutation(SendCampaignMutation, { refetchQueries: ['Campaign'] });
  const sendable = !campaign.sentAt && (campaign.status === 'APPROVED' || campaign.status === 'RUNNING');

  async function sendIt() {
    try {
      await send({ variables: { id: campaign.id } });
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('campaign.sending')}</h2>}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <span role="status">{campaign.sentAt ? s('campaign.progress', { ...campaign.sendProgress }) : s('campaign.notSent')}</span>
        {sendable && can('marketing:campaign:send') && (
          <Popconfirm title={s('campaign.sendConfirm')} onConfirm={sendIt} okText={t('form.confirm')} cancelText={t('form.cancel')}>
            <Button type="primary" loading={sending.loading}>
              {s('campaign.send')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </Card>
  );
}
