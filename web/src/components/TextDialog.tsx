import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../api/errors';
import { useI18n } from '../i18n';

interface Props {
  title: string;
  label: string;
  /** The argument's name in the API (`comment`, `reason`), so its errors land on the field. */
  field: string;
  required?: boolean;
  open: boolean;
  onClose: () => void;
  run: (text: string) => Promise<unknown>;
}

/** A decision that takes a comment or reason: the API's refusal is shown at the field or above it. */
export function TextDialog({ title, label, field, required, open, onClose, run }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Record<string, string>>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(values: Record<string, string>) {
    setProblem(null);
    setSaving(true);
    try {
      await run(values[field] ?? '');
      onClose();
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={title}
      cancelText={t('form.cancel')}
      confirmLoading={saving}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ [field]: '' }}>
        <Form.Item
          name={field}
          label={label}
          rules={required ? [{ required: true, whitespace: true, message: t('form.required', { field: label }) }] : []}
        >
          <Input.TextArea maxLength={1000} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
