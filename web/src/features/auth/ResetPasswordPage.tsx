import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import { AuthCard } from './AuthCard';
import { ResetPasswordMutation } from './operations';
import { PasswordFields } from './PasswordFields';

/** The page identity's reset mail links to: `/reset-password?token=…`. */
export default function ResetPasswordPage() {
  const { t } = useI18n();
  const token = useSearchParams()[0].get('token');
  const [form] = Form.useForm<{ newPassword: string; confirm: string }>();
  const [reset, { loading }] = useMutation(ResetPasswordMutation);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(
    token ? null : { ok: false, text: t('reset.noToken') },
  );

  async function submit({ newPassword }: { newPassword: string }) {
    try {
      await reset({ variables: { token: token!, newPassword } });
      setOutcome({ ok: true, text: t('reset.done') });
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setOutcome({ ok: false, text: describe(failure, t) });
    }
  }

  return (
    <AuthCard title={t('reset.title')}>
      {outcome && (
        <Alert type={outcome.ok ? 'success' : 'error'} showIcon message={outcome.text} style={{ marginBottom: 16 }} />
      )}
      {token && !outcome?.ok && (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <PasswordFields />
          <Button type="primary" htmlType="submit" block loading={loading}>
            {t('reset.submit')}
          </Button>
        </Form>
      )}
      <p style={{ marginTop: 16 }}>
        <Link to="/sign-in">{t('reset.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
}
