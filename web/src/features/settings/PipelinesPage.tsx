import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { StageDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import type { MessageKey } from '../../i18n/strings';
import { AdminPipelinesQuery, CreatePipelineMutation, UpdateStageMutation } from './operations';

/** What a stage can require of an opportunity before it enters (the API's names). */
const REQUIRABLE = ['amount', 'expected_close_date', 'contact_id', 'lines', 'description'] as const;

interface StageValues {
  name: string;
  probability: number;
  requiredFields: string[];
}

/** Pipelines with their stages in order, each stage's default probability and required fields;
 * a stage is edited in place and a new pipeline is created with its stages. */
export default function PipelinesPage() {
  const { t } = useI18n();
  const { data, loading, error, refetch } = useQuery(AdminPipelinesQuery);
  const [stage, setStage] = useState<StageDetailFragment | null>(null);
  const [creating, setCreating] = useState(false);
  const required = (fields: readonly string[]) => fields.map((f) => <Tag key={f}>{t(`pipelines.field.${f}` as MessageKey)}</Tag>);

  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('nav.pipelines')}
        </Typography.Title>
        {can('sales:pipeline:create') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('pipelines.new')}
          </Button>
        )}
      </Flex>
      {loading && !data && <Card loading />}
      {data?.pipelines.map((pipeline) => (
        <Card key={pipeline.id} title={<h2 style={{ fontSize: 16, margin: 0 }}>{pipeline.name}</h2>} extra={pipeline.isDefault && <Tag color="blue">{t('pipelines.default')}</Tag>}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={[...pipeline.stages].sort((a, b) => a.position - b.position)}
            columns={[
              { title: '#', dataIndex: 'position' },
              { title: t('pipelines.stage'), dataIndex: 'name' },
              { title: t('opps.probability'), dataIndex: 'probability', render: (p: string) => `${Number(p)}%` },
              { title: t('pipelines.required'), dataIndex: 'requiredFields', render: required },
              {
                title: t('users.actions'),
                key: 'actions',
                render: (_, row) =>
                  can('sales:pipeline:update') && (
                    <Button type="link" aria-label={t('users.editNamed', { name: row.name })} onClick={() => setStage(row)}>
                      {t('form.edit')}
                    </Button>
                  ),
              },
            ]}
          />
        </Card>
      ))}
      {stage && <StageModal stage={stage} onClose={() => setStage(null)} />}
      {creating && (
        <PipelineModal
          onClose={() => {
            setCreating(false);
            void refetch();
          }}
        />
      )}
    </Space>
  );
}

function RequiredFields() {
  const { t } = useI18n();
  return (
    <Form.Item name="requiredFields" label={t('pipelines.required')}>
      <Checkbox.Group options={REQUIRABLE.map((f) => ({ value: f, label: t(`pipelines.field.${f}` as MessageKey) }))} />
    </Form.Item>
  );
}

function StageModal({ stage, onClose }: { stage: StageDetailFragment; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<StageValues>();
  const [update, { loading }] = useMutation(UpdateStageMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: StageValues) {
    setProblem(null);
    try {
      await update({ variables: { id: stage.id, input: { name: values.name.trim(), probability: String(values.probability ?? ''), requiredFields: values.requiredFields } } });
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={t('pipelines.editStage', { name: stage.name })} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ ...stage, probability: Number(stage.probability) }}>
        <Form.Item name="name" label={t('pipelines.stage')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('pipelines.stage') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="probability" label={t('opps.probability')}>
          <InputNumber min={0} max={100} addonAfter="%" />
        </Form.Item>
        <RequiredFields />
      </Form>
    </Modal>
  );
}

interface PipelineValues {
  name: string;
  isDefault: boolean;
  stages: StageValues[];
}

function PipelineModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [form] = Form.useForm<PipelineValues>();
  const [create, { loading }] = useMutation(CreatePipelineMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: PipelineValues) {
    setProblem(null);
    const stages = (values.stages ?? []).map((s) => ({ name: (s.name ?? '').trim(), probability: String(s.probability ?? ''), requiredFields: s.requiredFields ?? [] }));
    try {
      await create({ variables: { input: { name: values.name.trim(), isDefault: values.isDefault, stages } } });
      message.success(t('pipelines.created'));
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open width={640} title={t('pipelines.new')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ isDefault: false, stages: [{ probability: 10, requiredFields: [] }] }}>
        <Form.Item name="name" label={t('pipelines.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('pipelines.name') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="isDefault" label={t('pipelines.default')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.List name="stages">
          {(fields, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((field, index) => (
                <Card key={field.key} size="small" title={t('pipelines.stageNumber', { n: index + 1 })} extra={fields.length > 1 && <Button type="link" danger onClick={() => remove(field.name)}>{s('rules.delete')}</Button>}>
                  <Form.Item name={[field.name, 'name']} label={t('pipelines.stage')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('pipelines.stage') }) }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'probability']} label={t('opps.probability')}>
                    <InputNumber min={0} max={100} addonAfter="%" />
                  </Form.Item>
                  <Form.Item name={[field.name, 'requiredFields']} label={t('pipelines.required')}>
                    <Checkbox.Group options={REQUIRABLE.map((f) => ({ value: f, label: t(`pipelines.field.${f}` as MessageKey) }))} />
                  </Form.Item>
                </Card>
              ))}
              <Button onClick={() => add({ probability: 10, requiredFields: [] })}>{t('pipelines.addStage')}</Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
