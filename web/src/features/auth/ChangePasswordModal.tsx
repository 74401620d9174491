import { useMutation } from '@apollo/client/react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import { ChangePasswordMutation } from './operations';
import { PasswordFields } from './PasswordFields';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [change, { loading }] = useMutation(ChangePasswordMutation);
  const [error, setError] = useState<string | null>(null);

  async function submit({ currentPassword, newPassword }: Values) {
    setError(null);
    try {
      await change({ variables: { currentPassword, newPassword } });
      message.success(t('password.changed'));
      form.resetFields();
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setError(describe(failure, t));
    }
  }

  return (
    <Modal
      open={open}
      title={t('user.changePassword')}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={loading}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('form.required', { field: t('password.current') }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <PasswordFields />
      </Form>
    </Modal>
  );
}
