import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { describe, showFieldErrors } from '../api/errors';
import { useI18n } from '../i18n';

interface Props<V> {
  title: string;
  /** The submit button's words; the title's by default. */
  okText?: string;
  open: boolean;
  onClose: () => void;
  initialValues: V;
  /** Form items named as the API names its fields, so its errors land next to them. */
  children: (form: FormInstance<V>) => ReactNode;
  run: (values: V) => Promise<unknown>;
}

/** A small form in a dialog: the API's field errors next to their fields, the rest above the form. */
export function FormDialog<V extends object>({ title, okText, open, onClose, initialValues, children, run }: Props<V>) {
  const { t } = useI18n();
  const [form] = Form.useForm<V>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(values: V) {
    setProblem(null);
    setSaving(true);
    try {
      await run(values);
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
      okText={okText ?? title}
      cancelText={t('form.cancel')}
      confirmLoading={saving}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form<V> form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={initialValues}>
        {children(form)}
      </Form>
    </Modal>
  );
}
