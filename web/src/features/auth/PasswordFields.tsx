import { Form, Input } from 'antd';
import { useI18n } from '../../i18n';

/** New password twice; the API's password policy answers on `newPassword` when it refuses one. */
export function PasswordFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="newPassword"
        label={t('reset.newPassword')}
        rules={[{ required: true, message: t('form.required', { field: t('reset.newPassword') }) }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('reset.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('form.required', { field: t('reset.confirm') }) },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('reset.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
