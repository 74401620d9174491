import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Flex, Popconfirm, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { describe } from '../../../api/errors';
import { can } from '../../../api/session';
import { useI18n, useStrings } from '../../../i18n';
import { SendCampaignMutation } from '../operations';
import { CampaignSmsQuery, SetCampaignSmsTemplateMutation } from './operations';
import { strings } from './strings';

/** An SMS campaign's template (chosen until it is sent, its sample shown) and its sending, with progress
 * asked again each second while texts are queued. */
export function SmsCard({ campaignId }: { campaignId: string }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, startPolling, stopPolling } = useQuery(CampaignSmsQuery, { variables: { id: campaignId } });
  const [choose, choosing] = useMutation(SetCampaignSmsTemplateMutation);
  const [send, sending] = useMutation(SendCampaignMutation, { refetchQueries: ['CampaignSms', 'Campaign'] });
  const campaign = data?.campaign;
  const queuing = (campaign?.sendProgress.queued ?? 0) > 0;
  useEffect(() => {
    if (!queuing) return;
    startPolling(1000);
    return stopPolling;
  }, [queuing, startPolling, stopPolling]);
  if (!campaign) return null;
  const chosen = data.smsTemplates.find((template) => template.id === campaign.smsTemplateId);
  const open = !campaign.sentAt && campaign.status !== 'COMPLETED' && campaign.status !== 'CANCELLED';
  const sendable = !campaign.sentAt && !!chosen && (campaign.status === 'APPROVED' || campaign.status === 'RUNNING');

  async function attempt(run: () => Promise<unknown>, done?: string) {
    try {
      await run();
      if (done) void message.success(done);
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('sms.card')}</h2>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {open && can('marketing:campaign:update') ? (
          <Select
            aria-label={s('sms.choose')}
            placeholder={s('sms.choose')}
            value={campaign.smsTemplateId ?? undefined}
            loading={choosing.loading}
            style={{ width: '100%', maxWidth: 360 }}
            options={data.smsTemplates.map((template) => ({ value: template.id, label: template.name }))}
            onChange={(templateId: string) => void attempt(() => choose({ variables: { id: campaign.id, templateId } }), s('sms.chosen'))}
          />
        ) : (
          <Typography.Text>{`${s('sms.template')}: ${chosen?.name ?? '—'}`}</Typography.Text>
        )}
        {chosen && <Typography.Text type="secondary">{chosen.sample}</Typography.Text>}
        <Flex justify="space-between" align="center" wrap gap={8}>
          <span role="status">{campaign.sentAt ? s('sms.progress', { ...campaign.sendProgress }) : s('sms.notSent')}</span>
          {sendable && can('marketing:campaign:send') && (
            <Popconfirm title={s('sms.sendConfirm')} onConfirm={() => attempt(() => send({ variables: { id: campaign.id } }))} okText={t('form.confirm')} cancelText={t('form.cancel')}>
              <Button type="primary" loading={sending.loading}>
                {s('sms.send')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      </Space>
    </Card>
  );
}
