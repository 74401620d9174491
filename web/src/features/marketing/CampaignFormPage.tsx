import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Select, Skeleton, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import { keepEnterInPickers } from '../../components/forms';
import type { CampaignQuery as Campaign, CampaignType } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { CampaignQuery, CreateCampaignMutation, EmailTemplatesQuery, UpdateCampaignMutation } from './operations';
import { TYPES, strings } from './strings';

interface Values {
  name: string;
  type: CampaignType;
  startsOn?: Dayjs;
  endsOn?: Dayjs;
  description: string;
  goalLeads?: number | null;
  goalOpportunities?: number | null;
  goalRevenue: string;
  currency: string;
  templateId?: string | null;
  language: string;
  budgetLines: { category: string; amount: string; note: string }[];
}

/** A new campaign or a campaign's changes, with its budget lines while the budget may change; the
 * API's errors go next to the fields they name (a line's amount, the end date...). */
export default function CampaignFormPage() {
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(CampaignQuery, { variables: { id: id! }, skip: !id });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (id && !data) return <Skeleton active />;
  return <Editor campaign={data?.campaign ?? null} />;
}

function Editor({ campaign }: { campaign: Campaign['campaign'] | null }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [create, creating] = useMutation(CreateCampaignMutation, { refetchQueries: ['Campaigns'] });
  const [update, updating] = useMutation(UpdateCampaignMutation, { refetchQueries: ['Campaign', 'Campaigns'] });
  const templates = useQuery(EmailTemplatesQuery);
  const type = Form.useWatch('type', form);
  const linesOpen = !campaign || campaign.budgetStatus === 'DRAFT' || campaign.budgetStatus === 'REJECTED';
  const required = (field: string) => [{ required: true, message: t('form.required', { field }) }];

  async function submit(values: Values) {
    setProblem(null);
    const common = {
      name: values.name.trim(),
      startsOn: values.startsOn?.format('YYYY-MM-DD'),
      endsOn: values.endsOn?.format('YYYY-MM-DD'),
      description: values.description,
      goalLeads: values.goalLeads ?? null,
      goalOpportunities: values.goalOpportunities ?? null,
      goalRevenue: values.goalRevenue.trim() || null,
      templateId: values.type === 'EMAIL' ? (values.templateId ?? null) : null,
      language: values.language,
    };
    const lines = values.budgetLines.map((line) => ({ ...line, note: line.note || null }));
    try {
      let savedId = campaign?.id;
      if (campaign) {
        await update({ variables: { id: campaign.id, input: { ...common, budgetLines: linesOpen ? lines : null } } });
      } else {
        const input = { ...common, startsOn: common.startsOn!, endsOn: common.endsOn!, type: values.type, currency: values.currency, budgetLines: lines };
        savedId = (await create({ variables: { input } })).data!.createCampaign.id;
      }
      void message.success(s('campaign.saved'));
      navigate(`/campaigns/${savedId}`);
    } catch (failure) {
      const left = showFieldErrors(form, failure);
      if (left.length) setProblem(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 880 }}>
      <Link to={campaign ? `/campaigns/${campaign.id}` : '/campaigns'}>{s('campaigns.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {campaign ? s('campaign.edit') : s('campaigns.new')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onKeyDown={keepEnterInPickers}
        initialValues={{
          name: campaign?.name ?? '',
          type: campaign?.type ?? 'SEMINAR',
          startsOn: campaign ? dayjs(campaign.startsOn) : undefined,
          endsOn: campaign ? dayjs(campaign.endsOn) : undefined,
          description: campaign?.description ?? '',
          goalLeads: campaign?.goalLeads ?? null,
          goalOpportunities: campaign?.goalOpportunities ?? null,
          goalRevenue: campaign?.goalRevenue ?? '',
          currency: campaign?.currency ?? 'CNY',
          templateId: campaign?.templateId ?? null,
          language: campaign?.language ?? 'zh-CN',
          budgetLines: campaign?.budgetLines.map((line) => ({ ...line })) ?? [],
        }}
      >
        <Form.Item name="name" label={s('field.name')} rules={required(s('field.name'))}>
          <Input maxLength={200} />
        </Form.Item>
        <Flex wrap gap={16}>
          <Form.Item name="type" label={s('field.type')} style={{ flex: '1 1 200px' }}>
            <Select disabled={!!campaign} options={TYPES.map((value) => ({ value, label: s(`type.${value}`) }))} />
          </Form.Item>
          <Form.Item name="startsOn" label={s('field.startsOn')} rules={required(s('field.startsOn'))} style={{ flex: '1 1 160px' }}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="endsOn" label={s('field.endsOn')} rules={required(s('field.endsOn'))} style={{ flex: '1 1 160px' }}>
            <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={s('field.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Flex wrap gap={16}>
          <Form.Item name="goalLeads" label={s('field.goalLeads')} style={{ flex: '1 1 140px' }}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="goalOpportunities" label={s('field.goalOpportunities')} style={{ flex: '1 1 140px' }}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="goalRevenue" label={s('field.goalRevenue')} style={{ flex: '1 1 140px' }}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="currency" label={s('field.currency')} style={{ flex: '0 1 100px' }}>
            <Input disabled={!!campaign} maxLength={3} />
          </Form.Item>
        </Flex>
        {type === 'EMAIL' && (
          <Flex wrap gap={16}>
            <Form.Item name="templateId" label={s('field.template')} style={{ flex: '1 1 240px' }}>
              <Select
                allowClear
                options={templates.data?.emailTemplates.map((template) => ({ value: template.id, label: template.name })) ?? []}
              />
            </Form.Item>
            <Form.Item name="language" label={s('field.language')} style={{ flex: '0 1 160px' }}>
              <Select options={[{ value: 'zh-CN', label: s('templates.zh') }, { value: 'en', label: s('templates.en') }]} />
            </Form.Item>
          </Flex>
        )}
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {s('campaign.budgetLines')}
        </Typography.Title>
        <Form.List name="budgetLines">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} wrap gap={8} align="start">
                  <Form.Item name={[field.name, 'category']} label={s('field.category')} rules={required(s('field.category'))} style={{ flex: '1 1 180px' }}>
                    <Input disabled={!linesOpen} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'amount']} label={s('field.amount')} rules={required(s('field.amount'))} style={{ flex: '1 1 120px' }}>
                    <Input inputMode="decimal" disabled={!linesOpen} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'note']} label={s('field.note')} style={{ flex: '2 1 180px' }}>
                    <Input disabled={!linesOpen} />
                  </Form.Item>
                  {linesOpen && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={`${s('campaign.removeLine')} ${field.name + 1}`}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: 30 }}
                    />
                  )}
                </Flex>
              ))}
              <Form.ErrorList errors={errors} />
              {linesOpen && (
                <Button icon={<PlusOutlined />} onClick={() => add({ category: '', amount: '', note: '' })} style={{ marginBottom: 16 }}>
                  {s('campaign.addLine')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={creating.loading || updating.loading}>
            {t('form.save')}
          </Button>
          <Button onClick={() => navigate(campaign ? `/campaigns/${campaign.id}` : '/campaigns')}>{t('form.cancel')}</Button>
        </Flex>
      </Form>
    </Space>
  );
}
