import { useMutation } from '@apollo/client/react';
import { Alert, App, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import { CreateTaskMutation } from './operations';

interface Values {
  title: string;
  dueAt: Dayjs;
  remindAt?: Dayjs | null;
  notes?: string;
}

/** Plan a follow-up, on an account or on its own; the API checks the times and names the field it refuses. */
export function TaskFormModal({
  open,
  accountId,
  onClose,
  onCreated,
}: {
  open: boolean;
  accountId?: string;
  onClose: () => void;
  onCreated?: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [create, creating] = useMutation(CreateTaskMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: Values) {
    setProblem(null);
    try {
      const input = {
        title: values.title.trim(),
        dueAt: values.dueAt.toISOString(),
        remindAt: values.remindAt?.toISOString() ?? null,
        notes: values.notes?.trim() ?? '',
        accountId: accountId ?? null,
      };
      await create({ variables: { input } });
      message.success(t('tasks.created'));
      onCreated?.();
      onClose();
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal
      title={t('tasks.new')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={creating.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ dueAt: dayjs().add(1, 'day').hour(10).minute(0).second(0), remindAt: null, notes: '' }}
      >
        <Form.Item
          name="title"
          label={t('tasks.name')}
          rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('tasks.name') }) }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="dueAt"
          label={t('tasks.dueAt')}
          rules={[{ required: true, message: t('form.required', { field: t('tasks.dueAt') }) }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="remindAt" label={t('tasks.remindAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="notes" label={t('tasks.notes')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
