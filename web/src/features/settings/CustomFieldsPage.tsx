import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, Modal, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import { CustomFieldsQuery, DefineCustomFieldMutation } from './operations';

const ENTITIES = ['account', 'contact'] as const;
const TYPES = ['text', 'number', 'date', 'single_choice', 'multi_choice'] as const;

interface Values {
  key: string;
  label: string;
  labelZh?: string;
  type: string;
  options: string[];
  required: boolean;
}

/** Custom fields of accounts and contacts (the entity in the URL), and defining a new one. */
export default function CustomFieldsPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const entity = params.get('entity') === 'contact' ? 'contact' : 'account';
  const { data, loading, error, refetch } = useQuery(CustomFieldsQuery, { variables: { entity } });
  const [defining, setDefining] = useState(false);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('nav.customFields')}
        </Typography.Title>
        {can('customer:custom_field:create') && (
          <Button type="primary" onClick={() => setDefining(true)}>
            {t('customFields.new')}
          </Button>
        )}
      </Flex>
      <Segmented
        aria-label={t('customFields.entity')}
        value={entity}
        onChange={(value) => setParams({ entity: String(value) })}
        options={ENTITIES.map((e) => ({ value: e, label: t(`customFields.entity.${e}` as MessageKey) }))}
      />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="key"
        loading={loading}
        dataSource={data?.customFields ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('customFields.label'), key: 'label', render: (_, f) => (language === 'en' ? f.label : f.labelZh || f.label) },
          { title: t('customFields.key'), dataIndex: 'key' },
          { title: t('customFields.type'), dataIndex: 'type', render: (type: string) => t(`customFields.type.${type}` as MessageKey) },
          { title: t('customFields.options'), dataIndex: 'options', responsive: ['md'], render: (options: string[]) => options.map((o) => <Tag key={o}>{o}</Tag>) },
          { title: t('customFields.required'), dataIndex: 'required', render: (on: boolean) => (on ? t('common.yes') : t('common.no')) },
        ]}
      />
      {defining && (
        <DefineModal
          entity={entity}
          onClose={() => {
            setDefining(false);
            void refetch();
          }}
        />
      )}
    </Space>
  );
}

function DefineModal({ entity, onClose }: { entity: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const [define, { loading }] = useMutation(DefineCustomFieldMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: Values) {
    setProblem(null);
    try {
      await define({ variables: { input: { ...values, entity, key: values.key.trim(), labelZh: values.labelZh?.trim() ?? '', options: values.options ?? [] } } });
      message.success(t('customFields.defined'));
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={t('customFields.new')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ type: 'text', options: [], required: false }}>
        <Form.Item name="key" label={t('customFields.key')} extra={t('customFields.keyHint')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('customFields.key') }) }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="label" label={t('customFields.labelEn')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('customFields.labelEn') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="labelZh" label={t('customFields.labelZh')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="type" label={t('customFields.type')}>
          <Select options={TYPES.map((k) => ({ value: k, label: t(`customFields.type.${k}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="options" label={t('customFields.options')} hidden={!String(type ?? '').endsWith('choice')}>
          <Select mode="tags" open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="required" label={t('customFields.required')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
