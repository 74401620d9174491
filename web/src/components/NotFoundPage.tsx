import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';

/** An address no screen has: back home, which every role opens (not every role opens the accounts). */
export default function NotFoundPage() {
  const { t } = useI18n();
  return <Result status="404" title={t('notFound.title')} extra={<Link to="/">{t('forbidden.back')}</Link>} />;
}
