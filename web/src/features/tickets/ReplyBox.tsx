import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Select, Switch, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { useI18n, useStrings } from '../../i18n';
import { MacrosQuery, NoteMutation, RenderMacroQuery, ReplyMutation, TicketQuery } from './operations';
import { strings } from './strings';

interface Values {
  body: string;
  internal: boolean;
  attachments: UploadFile[];
}

/** A file as the API takes it: its bytes in base64. */
function encoded(file: UploadFile): Promise<{ filename: string; contentType: string; contentBase64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve({
        filename: file.name,
        contentType: file.type || 'application/octet-stream',
        contentBase64: String(reader.result).split(',', 2)[1] ?? '',
      });
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file.originFileObj as Blob);
  });
}

/** A public reply (a canned response filled in for this ticket by the API, then edited at will, with
 * files the API checks against its limits) or an internal note; the send button spans the width on a phone so a thumb reaches it. */
export function ReplyBox({ ticketId }: { ticketId: string }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useApolloClient();
  const [form] = Form.useForm<Values>();
  const internal = Form.useWatch('internal', form);
  const macros = useQuery(MacrosQuery, { skip: !can('support:macro:read') });
  const refetch = { refetchQueries: [{ query: TicketQuery, variables: { id: ticketId } }], awaitRefetchQueries: true };
  const [reply, replying] = useMutation(ReplyMutation, refetch);
  const [note, noting] = useMutation(NoteMutation, refetch);
  const [problem, setProblem] = useState<string | null>(null);

  async function insert(macroId: string) {
    setProblem(null);
    try {
      const { data } = await client.query({ query: RenderMacroQuery, variables: { id: macroId, ticketId }, fetchPolicy: 'network-only' });
      form.setFieldValue('body', data?.renderMacro ?? '');
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  async function send({ body, internal: asNote, attachments }: Values) {
    setProblem(null);
    try {
      if (asNote) await note({ variables: { id: ticketId, body } });
      else await reply({ variables: { id: ticketId, body, attachments: attachments.length ? await Promise.all(attachments.map(encoded)) : null } });
      form.resetFields();
      message.success(asNote ? s('reply.noted') : s('reply.sent'));
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  const label = internal ? s('reply.noteLabel') : s('reply.label');
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('reply')}</h2>}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={send} initialValues={{ body: '', internal: false, attachments: [] }}>
        <Flex wrap gap={12} align="center">
          <Form.Item name="internal" label={s('reply.internal')} valuePropName="checked" layout="horizontal" style={{ margin: 0 }}>
            <Switch />
          </Form.Item>
          {!internal && !!macros.data?.macros.length && (
            <Select
              aria-label={s('reply.macro')}
              placeholder={s('reply.macro')}
              value={null}
              onChange={(id: string) => void insert(id)}
              options={macros.data.macros.map((m) => ({ value: m.id, label: m.name }))}
              style={{ flex: '1 1 220px', minWidth: 0 }}
            />
          )}
        </Flex>
        <Form.Item
          name="body"
          label={label}
          rules={[{ required: true, whitespace: true, message: t('form.required', { field: label }) }]}
          style={{ marginTop: 12 }}
        >
          <Input.TextArea rows={5} maxLength={20000} style={internal ? { background: '#fffbe6' } : undefined} />
        </Form.Item>
        {!internal && (
          <Form.Item name="attachments" valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList}>
            <Upload beforeUpload={() => false} multiple>
              <Button icon={<PaperClipOutlined />}>{s('reply.attach')}</Button>
            </Upload>
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" size="large" block loading={replying.loading || noting.loading}>
          {internal ? s('reply.addNote') : s('reply.send')}
        </Button>
      </Form>
    </Card>
  );
}
