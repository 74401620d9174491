import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, Modal, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
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
  const s = useStrings(strings);
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
            {s('customFields.new')}
          </Button>
        )}
      </Flex>
      <Segmented
        aria-label={s('customFields.entity')}
        value={entity}
        onChange={(value) => setParams({ entity: String(value) })}
        options={ENTITIES.map((e) => ({ value: e, label: s(`customFields.entity.${e}` as Key) }))}
      />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="key"
        loading={loading}
        dataSource={data?.customFields ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: s('customFields.label'), key: 'label', render: (_, f) => (language === 'en' ? f.label : f.labelZh || f.label) },
          { title: s('customFields.key'), dataIndex: 'key' },
          { title: s('customFields.type'), dataIndex: 'type', render: (type: string) => s(`customFields.type.${type}` as Key) },
          { title: s('customFields.options'), dataIndex: 'options', responsive: ['md'], render: (options: string[]) => options.map((o) => <Tag key={o}>{o}</Tag>) },
          { title: s('customFields.required'), dataIndex: 'required', render: (on: boolean) => (on ? s('common.yes') : s('common.no')) },
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
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const [define, { loading }] = useMutation(DefineCustomFieldMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: Values) {
    setProblem(null);
    try {
      await define({ variables: { input: { ...values, entity, key: values.key.trim(), labelZh: values.labelZh?.trim() ?? '', options: values.options ?? [] } } });
      message.success(s('customFields.defined'));
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={s('customFields.new')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ type: 'text', options: [], required: false }}>
        <Form.Item name="key" label={s('customFields.key')} extra={s('customFields.keyHint')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('customFields.key') }) }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="label" label={s('customFields.labelEn')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('customFields.labelEn') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="labelZh" label={s('customFields.labelZh')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="type" label={s('customFields.type')}>
          <Select options={TYPES.map((k) => ({ value: k, label: s(`customFields.type.${k}` as Key) }))} />
        </Form.Item>
        <Form.Item name="options" label={s('customFields.options')} hidden={!String(type ?? '').endsWith('choice')}>
          <Select mode="tags" open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item name="required" label={s('customFields.required')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
