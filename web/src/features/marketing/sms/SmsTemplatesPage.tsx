import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../../api/errors';
import { can } from '../../../api/session';
import { ErrorState } from '../../../components/ErrorState';
import { FormDialog } from '../../../components/FormDialog';
import type { SmsKind, SmsTemplateFieldsFragment as Template } from '../../../gql/graphql';
import { useI18n, useStrings } from '../../../i18n';
import { SaveSmsTemplateMutation, SendSmsTestMutation, SmsTemplatesQuery } from './operations';
import { OPT_OUT, strings } from './strings';

/** SMS templates registered with the provider: code, signature, content with its parameters and the
 * sample a recipient reads (a marketing text's 回T退订 shown), saved and test-sent to a number. */
export default function SmsTemplatesPage() {
  const s = useStrings(strings);
  const { data, loading, error, refetch } = useQuery(SmsTemplatesQuery);
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [testing, setTesting] = useState<Template | null>(null);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('sms.title')}
        </Typography.Title>
        {can('marketing:template:create') && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {s('sms.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.smsTemplates ?? []}
        columns={[
          { title: s('sms.name'), dataIndex: 'name' },
          { title: s('sms.kind'), key: 'kind', render: (_, row) => <Tag>{s(`sms.kind.${row.kind}`)}</Tag> },
          { title: s('sms.providerCode'), dataIndex: 'providerCode', responsive: ['md'] },
          {
            title: s('sms.sample'),
            key: 'sample',
            render: (_, row) => (
              <Space direction="vertical" size={2} style={{ maxWidth: 420, whiteSpace: 'normal' }}>
                <span>{row.sample}</span>
                {row.kind === 'MARKETING' && <OptOut content={row.content} />}
              </Space>
            ),
          },
          { title: s('sms.updatedAt'), key: 'updatedAt', responsive: ['lg'], render: (_, row) => new Date(row.updatedAt).toLocaleString() },
          ...(can('marketing:template:update')
            ? [
                {
                  title: '',
                  key: 'actions',
                  render: (_: unknown, row: Template) => (
                    <Flex wrap gap={4}>
                      <Button size="small" onClick={() => setEditing(row)}>
                        {s('sms.edit')}
                      </Button>
                      <Button size="small" onClick={() => setTesting(row)}>
                        {s('sms.test')}
                      </Button>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <TemplateDialog template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {testing && <TestDialog template={testing} onClose={() => setTesting(null)} />}
    </Space>
  );
}

function OptOut({ content }: { content: string }) {
  const s = useStrings(strings);
  return content.includes(OPT_OUT) ? <Tag color="green">{s('sms.optOut')}</Tag> : <Tag color="red">{s('sms.noOptOut')}</Tag>;
}

interface Values {
  name: string;
  kind: SmsKind;
  providerCode: string;
  signature: string;
  content: string;
  params: { name: string; value: string }[];
}

function TemplateDialog({ template, onClose }: { template: Template | null; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [save] = useMutation(SaveSmsTemplateMutation, { refetchQueries: ['SmsTemplates'] });
  const t = template;
  const initial: Values = {
    name: t?.name ?? '',
    kind: t?.kind ?? 'MARKETING',
    providerCode: t?.providerCode ?? '',
    signature: t?.signature ?? '【】',
    content: t?.content ?? '',
    params: t?.params.map(({ name, value }) => ({ name, value })) ?? [],
  };
  return (
    <FormDialog<Values>
      open
      title={t ? `${s('sms.edit')} ${t.name}` : s('sms.new')}
      okText={t ? s('sms.edit') : s('sms.new')}
      initialValues={initial}
      onClose={onClose}
      run={async (values) => {
        await save({ variables: { id: t?.id ?? null, input: { ...values, params: values.params ?? [] } } });
        void message.success(s('sms.saved'));
      }}
    >
      {(form) => <TemplateFields form={form} />}
    </FormDialog>
  );
}

function TemplateFields({ form }: { form: FormInstance<Values> }) {
  const s = useStrings(strings);
  const kind = Form.useWatch('kind', form);
  const content = Form.useWatch('content', form) ?? '';
  return (
    <>
      <Form.Item name="name" label={s('sms.name')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="kind" label={s('sms.kind')}>
        <Select options={(['MARKETING', 'NOTIFICATION'] as const).map((k) => ({ value: k, label: s(`sms.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="providerCode" label={s('sms.providerCode')} extra={s('sms.providerCodeHint')}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="signature" label={s('sms.signature')} extra={s('sms.signatureHint')}>
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item name="content" label={s('sms.content')} extra={s('sms.contentHint', { example: '${name}' })}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      {kind === 'MARKETING' && (
        <div style={{ marginBottom: 16 }}>
          <OptOut content={content} />
        </div>
      )}
      <Form.List name="params">
        {(fields, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text strong>{s('sms.params')}</Typography.Text>
            {fields.map((field) => (
              <Flex key={field.key} gap={8} align="start" wrap>
                <Form.Item name={[field.name, 'name']} style={{ flex: '1 1 100px', marginBottom: 8 }}>
                  <Input placeholder={s('sms.paramName')} aria-label={s('sms.paramName')} />
                </Form.Item>
                <Form.Item name={[field.name, 'value']} style={{ flex: '2 1 180px', marginBottom: 8 }}>
                  <Input placeholder={s('sms.paramValue', { example: '{{ contact.name }}' })} aria-label={s('sms.paramValue', { example: '{{ contact.name }}' })} />
                </Form.Item>
                <Button type="text" aria-label={s('sms.remove')} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
              </Flex>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ name: '', value: '' })}>
              {s('sms.addParam')}
            </Button>
          </Space>
        )}
      </Form.List>
    </>
  );
}

function TestDialog({ template, onClose }: { template: Template; onClose: () => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const [form] = Form.useForm<{ phone: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const [send, { data, loading }] = useMutation(SendSmsTestMutation);
  const result = data?.sendSmsTest;

  async function submit({ phone }: { phone: string }) {
    setProblem(null);
    try {
      await send({ variables: { id: template.id, phone } });
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  // the dialog stays open after a send to show the provider's answer
  return (
    <Modal
      open
      title={`${s('sms.test')}: ${template.name}`}
      okText={s('sms.test')}
      cancelText={t('form.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={loading}
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      {result && (
        <Alert
          type={result.accepted ? 'success' : 'warning'}
          showIcon
          role="status"
          message={result.accepted ? s('sms.testSent', { text: result.text }) : s('sms.testRefused', { code: result.code })}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ phone: '' }}>
        <Form.Item name="phone" label={s('sms.testPhone')}>
          <Input inputMode="tel" autoComplete="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
