import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import { AuthCard } from './AuthCard';
import { RequestResetMutation } from './operations';

/** Asks for a reset link; the answer never says whether the address exists. */
export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<{ email: string }>();
  const [request, { loading }] = useMutation(RequestResetMutation);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit({ email }: { email: string }) {
    try {
      await request({ variables: { email } });
      setOutcome({ ok: true, text: t('reset.requestSent') });
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setOutcome({ ok: false, text: describe(failure, t) });
    }
  }

  return (
    <AuthCard title={t('reset.requestTitle')}>
      {outcome && (
        <Alert type={outcome.ok ? 'success' : 'error'} showIcon message={outcome.text} style={{ marginBottom: 16 }} />
      )}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="email"
          label={t('signIn.email')}
          rules={[{ required: true, message: t('form.required', { field: t('signIn.email') }) }]}
        >
          <Input inputMode="email" autoComplete="email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={loading}>
          {t('reset.requestSubmit')}
        </Button>
      </Form>
      <p style={{ marginTop: 16 }}>
        <Link to="/sign-in">{t('reset.backToSignIn')}</Link>
      </p>
    </AuthCard>
  );
}
