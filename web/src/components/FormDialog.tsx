import { Alert, App, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { describe, showFieldErrors, type ApiError } from '../api/errors';
import { useI18n } from '../i18n';
import { DuplicateAlert, duplicateIn } from './DuplicateAlert';

interface Props<V> {
  title: string;
  /** The submit button's words; the title's by default. */
  okText?: string;
  open: boolean;
  onClose: () => void;
  initialValues: V;
  /** Form items named as the API names its fields, so its errors land next to them. */
  children: (form: FormInstance<V>) => ReactNode;
  run: (values: V, allowDuplicate: boolean) => Promise<unknown>;
  /** Said once `run` has succeeded (`message.success`), for a save whose dialog just closes. */
  done?: string;
  /** Whether a likely duplicate the API refuses (CONFLICT) may be created anyway: `run` again with `allowDuplicate`. */
  overridable?: boolean;
  /** The address of the record a CONFLICT names as the existing one. */
  existing?: (id: string) => string;
}

/** A small form in a dialog: the API's field errors next to their fields, the rest above the form. */
export function FormDialog<V extends object>({ title, okText, open, onClose, initialValues, children, run, done, overridable, existing }: Props<V>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // the refused values, so "create anyway" sends what the caller saw refused; an edit withdraws the offer
  const [duplicate, setDuplicate] = useState<{ values: V; error: ApiError } | null>(null);

  async function submit(values: V, allowDuplicate = false) {
    setProblem(null);
    setSaving(true);
    try {
      await run(values, allowDuplicate);
      setDuplicate(null);
      if (done) void message.success(done);
      onClose();
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      const conflict = overridable ? duplicateIn(failure) : undefined;
      setDuplicate(conflict ? { values, error: conflict } : null);
      if (!conflict && left) setProblem(describe(failure, t));
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
      {duplicate && (
        <DuplicateAlert
          existing={duplicate.error.existingId && existing?.(duplicate.error.existingId)}
          creating={saving}
          onCreate={() => void submit(duplicate.values, true)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        onValuesChange={() => setDuplicate(null)}
        preserve={false}
        initialValues={initialValues}
      >
        {children(form)}
      </Form>
    </Modal>
  );
}
