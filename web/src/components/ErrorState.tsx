import { Alert, Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { apiErrors, describe, hasCode } from '../api/errors';
import { useI18n } from '../i18n';

/** A failed load: not found and forbidden get a page of their own, the rest an alert, with a
 * retry button when the service said it is only unavailable for now. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  if (hasCode(error, 'NOT_FOUND') || hasCode(error, 'FORBIDDEN')) {
    return (
      <Result
        status={hasCode(error, 'FORBIDDEN') ? '403' : '404'}
        title={t('notFound.title')}
        subTitle={describe(error, t)}
        extra={<Link to="/accounts">{t('notFound.back')}</Link>}
      />
    );
  }
  const retryable = !apiErrors(error).length || hasCode(error, 'SERVICE_UNAVAILABLE');
  return (
    <Alert
      type="error"
      showIcon
      message={describe(error, t)}
      action={retry && retryable ? <Button onClick={retry}>{t('error.retry')}</Button> : undefined}
    />
  );
}
