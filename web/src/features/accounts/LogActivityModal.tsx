import { useMutation } from '@apollo/client/react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { KINDS } from './labels';
import { AccountQuery, LogActivityMutation } from './operations';

export { KINDS };

interface Values {
  kind: string;
  subject: string;
  content?: string;
  outcome?: string;
  occurredAt: Dayjs;
}

/** Record a call, visit, meeting, email or note on the account's timeline (big controls, usable one-handed). */
export function LogActivityModal({ accountId, kind, onClose }: { accountId: string; kind: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [log, logging] = useMutation(LogActivityMutation, { refetchQueries: [AccountQuery] });
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: Values) {
    setProblem(null);
    try {
      await log({
        variables: {
          input: {
            accountId,
            kind: values.kind,
            subject: values.subject.trim(),
            content: values.content?.trim() ?? '',
            outcome: values.outcome?.trim() || null,
            occurredAt: values.occurredAt.toISOString(),
          },
        },
      });
      message.success(s('activity.logged'));
      onClose();
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal
      title={s('activity.log')}
      open={kind !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      okButtonProps={{ size: 'large' }}
      cancelButtonProps={{ size: 'large' }}
      confirmLoading={logging.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ kind, occurredAt: dayjs() }}>
        <Form.Item name="kind" label={s('activity.kind')}>
          <Radio.Group
            optionType="button"
            size="large"
            options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="subject"
          label={s('activity.subject')}
          rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('activity.subject') }) }]}
        >
          <Input size="large" maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label={s('activity.content')}>
          <Input.TextArea rows={3} maxLength={10000} />
        </Form.Item>
        <Form.Item name="outcome" label={s('activity.outcome')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="occurredAt" label={t('dash.time')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
