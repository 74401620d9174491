import { useMutation } from '@apollo/client/react';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { apiErrors, describe, hasCode, showFieldErrors } from '../../api/errors';
import { storeTokens } from '../../api/session';
import { useI18n } from '../../i18n';
import { AuthCard } from './AuthCard';
import { LoginMutation } from './operations';

interface Values {
  email: string;
  password: string;
  totpCode?: string;
}

/** Email and password; a second step asks for the TOTP code when the API answers TOTP_REQUIRED. */
export default function SignInPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [login, { loading }] = useMutation(LoginMutation);
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';

  async function submit(values: Values) {
    setError(null);
    try {
      const { data } = await login({ variables: { input: { ...values, totpCode: values.totpCode || null } } });
      storeTokens(data!.login);
      navigate(from, { replace: true });
    } catch (failure) {
      if (hasCode(failure, 'TOTP_REQUIRED') && !needsTotp) {
        setNeedsTotp(true);
        return;
      }
      const [left] = showFieldErrors(form, failure);
      // a wrong password is UNAUTHENTICATED too: the API's own (localised, vague) words say it best
      if (left) setError(left.code === 'UNAUTHENTICATED' ? left.message : describe(failure, t));
      else if (!apiErrors(failure).length) setError(describe(failure, t));
    }
  }

  return (
    <AuthCard title={t('signIn.title')}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="email"
          label={t('signIn.email')}
          rules={[{ required: true, message: t('form.required', { field: t('signIn.email') }) }]}
        >
          <Input inputMode="email" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('signIn.password')}
          rules={[{ required: true, message: t('form.required', { field: t('signIn.password') }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {needsTotp && (
          <Form.Item
            name="totpCode"
            label={t('signIn.totp')}
            extra={t('signIn.totpHint')}
            rules={[{ required: true, message: t('form.required', { field: t('signIn.totp') }) }]}
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={loading}>
          {t('signIn.submit')}
        </Button>
      </Form>
      <p style={{ marginTop: 16 }}>
        <Link to="/forgot-password">{t('signIn.forgot')}</Link>
      </p>
    </AuthCard>
  );
}
