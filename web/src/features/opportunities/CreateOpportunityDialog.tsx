import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { App, DatePicker, Flex, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { FormDialog } from '../../components/FormDialog';
import { useSettled } from '../../components/useSettled';
import { useI18n, useStrings } from '../../i18n';
import { CURRENCIES } from './labels';
import {
  CreateOpportunityMutation,
  OpportunityAccountOptionsQuery,
  OpportunityCampaignOptionsQuery,
  OpportunityContactOptionsQuery,
} from './operations';
import { strings } from './strings';

interface Values {
  name: string;
  accountId?: string;
  amount?: string;
  currency: string;
  expectedCloseDate?: Dayjs | null;
  contactId?: string | null;
  source?: string;
  campaignId?: string | null;
  description?: string;
}

const blank = (value: string | undefined) => value?.trim() || null;

/** A new opportunity at the first stage of the default pipeline, for the caller; the API checks the account,
 * contact and campaign and names the field it refuses. On success the new opportunity's page opens. */
export function CreateOpportunityDialog({
  open,
  pipelineId,
  onClose,
}: {
  open: boolean;
  /** The pipeline it starts in (the board's); the default one otherwise. */
  pipelineId?: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [create] = useMutation(CreateOpportunityMutation);

  async function run(values: Values) {
    const { data } = await create({
      variables: {
        input: {
          name: values.name.trim(),
          accountId: values.accountId ?? '',
          amount: blank(values.amount),
          currency: values.currency,
          expectedCloseDate: values.expectedCloseDate?.format('YYYY-MM-DD') ?? null,
          contactId: values.contactId ?? null,
          source: blank(values.source),
          campaignId: values.campaignId ?? null,
          description: blank(values.description),
          pipelineId: pipelineId ?? null,
        },
      },
    });
    // the lists and the board count it from now on
    void client.refetchQueries({ include: ['Opportunities', 'Board'] });
    message.success(s('opp.created'));
    navigate(`/opportunities/${data!.createOpportunity.id}`);
  }

  return (
    <FormDialog<Values>
      title={s('opp.new')}
      okText={t('form.save')}
      open={open}
      onClose={onClose}
      initialValues={{ name: '', currency: 'CNY', amount: '', source: '', description: '' }}
      run={run}
    >
      {() => <OpportunityFields />}
    </FormDialog>
  );
}

function OpportunityFields() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const form = Form.useFormInstance<Values>();
  const accountId = Form.useWatch('accountId', form);
  const [search, setSearch] = useState('');
  const [campaignSearch, setCampaignSearch] = useState('');
  const accounts = useQuery(OpportunityAccountOptionsQuery, { variables: { search: useSettled(search, 300) || null } });
  const contacts = useQuery(OpportunityContactOptionsQuery, { variables: { accountId: accountId ?? '' }, skip: !accountId });
  const settledCampaign = useSettled(campaignSearch, 300);
  const mayCampaign = can('marketing:campaign:read');
  const campaigns = useQuery(OpportunityCampaignOptionsQuery, {
    variables: { search: settledCampaign || null },
    skip: !mayCampaign,
  });
  const required = (label: string) => [{ required: true, whitespace: true, message: t('form.required', { field: label }) }];

  return (
    <>
      <Form.Item name="name" label={t('opps.name')} rules={required(t('opps.name'))}>
        <Input maxLength={200} autoFocus />
      </Form.Item>
      <Form.Item name="accountId" label={t('opps.account')} rules={[{ required: true, message: t('form.required', { field: t('opps.account') }) }]}>
        <Select
          showSearch
          filterOption={false}
          onSearch={setSearch}
          loading={accounts.loading}
          onChange={() => form.setFieldsValue({ contactId: undefined })}
          options={accounts.data?.accounts.edges.map(({ node }) => ({ value: node.id, label: node.name }))}
        />
      </Form.Item>
      <Form.Item name="contactId" label={s('opp.contact')} extra={accountId ? undefined : s('opp.contactFirst')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          disabled={!accountId}
          loading={contacts.loading}
          options={contacts.data?.contacts.edges.map(({ node }) => ({
            value: node.id,
            label: node.title ? `${node.name} · ${node.title}` : node.name,
          }))}
        />
      </Form.Item>
      <Flex wrap gap={12}>
        <Form.Item name="amount" label={t('opps.amount')} style={{ flex: '1 1 160px' }}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="currency" label={s('opp.currency')} style={{ flex: '0 1 110px' }}>
          <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('opps.close')} style={{ flex: '1 1 160px' }}>
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
      <Form.Item name="source" label={t('leads.source')}>
        <Input maxLength={50} placeholder={s('opp.sourceHint')} />
      </Form.Item>
      {mayCampaign && (
        <Form.Item name="campaignId" label={s('opp.campaign')}>
          <Select
            allowClear
            showSearch
            filterOption={false}
            onSearch={setCampaignSearch}
            loading={campaigns.loading}
            options={campaigns.data?.campaigns.edges.map(({ node }) => ({ value: node.id, label: node.name }))}
          />
        </Form.Item>
      )}
      <Form.Item name="description" label={t('opps.description')}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </>
  );
}
