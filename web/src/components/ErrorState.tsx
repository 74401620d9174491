import { Alert, Button, Result } from 'antd';
import { Link, useLocation, useParams } from 'react-router-dom';
import { apiErrors, describe, hasCode } from '../api/errors';
import { useI18n } from '../i18n';

/** Where the link of a not-found or forbidden page goes, and what it says. */
export interface Back {
  to: string;
  label: string;
}

/** The list of the screen a record's page belongs to: its address up to the record's key
 * (`/marketing/segments/:id/...` is `/marketing/segments`), or `/marketing/segments` for
 * `/marketing/segments/new`; null on a screen that is no record's (then home is the way back). */
export function listPath(pathname: string, params: Record<string, string | undefined>): string | null {
  const segments = pathname.split('/').filter(Boolean);
  const keys = new Set(
    Object.entries(params)
      .filter(([name, value]) => name !== '*' && value)
      .map(([, value]) => value!),
  );
  let at = segments.findIndex((segment) => keys.has(decodeURIComponent(segment)));
  if (at < 0 && segments.at(-1) === 'new') at = segments.length - 1;
  return at > 0 ? `/${segments.slice(0, at).join('/')}` : null;
}

/** A failed load: not found and forbidden get a page of their own, titled for which it is, with a
 * link back (`back`, by default to the list of the screen the record belongs to, else home); the
 * rest an alert, with a retry button when the service said it is only unavailable for now. `inline`:
 * one part of a screen failed (a dashboard's card), which says so in an alert, whatever the code. */
export function ErrorState({ error, retry, back, inline }: { error: unknown; retry?: () => void; back?: Back; inline?: boolean }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const params = useParams();
  const forbidden = hasCode(error, 'FORBIDDEN');
  if (!inline && (forbidden || hasCode(error, 'NOT_FOUND'))) {
    const list = listPath(pathname, params);
    const link = back ?? (list ? { to: list, label: t('error.backToList') } : { to: '/', label: t('forbidden.back') });
    return (
      <Result
        status={forbidden ? '403' : '404'}
        title={t(forbidden ? 'forbidden.recordTitle' : 'notFound.title')}
        subTitle={describe(error, t)}
        extra={<Link to={link.to}>{link.label}</Link>}
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
