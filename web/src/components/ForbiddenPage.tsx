import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';

/** A screen the caller's roles do not open, reached by its address. */
export default function ForbiddenPage() {
  const { t } = useI18n();
  return <Result status="403" title={t('forbidden.title')} subTitle={t('forbidden.detail')} extra={<Link to="/">{t('forbidden.back')}</Link>} />;
}
