import { Alert, Button, Space } from 'antd';
import type { CSSProperties } from 'react';
import { Link } from 'react-router-dom';
import { apiErrors, type ApiError } from '../api/errors';
import { useI18n } from '../i18n';

/** The API's CONFLICT among a failure's errors: a likely duplicate, which a create may override. */
export function duplicateIn(failure: unknown): ApiError | undefined {
  return apiErrors(failure).find((e) => e.code === 'CONFLICT');
}

/** A create the API refused as a likely duplicate (its reason shows at the field it names): a link to the
 * existing record when the caller may see it, and a deliberate "create anyway" that sends the same input again. */
export function DuplicateAlert({
  existing,
  creating,
  onCreate,
  style,
}: {
  /** The existing record's address, when the API named one. */
  existing?: string;
  creating: boolean;
  onCreate: () => void;
  style?: CSSProperties;
}) {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      style={style}
      message={t('error.duplicate')}
      action={
        <Space size="small" wrap>
          {existing && <Link to={existing}>{t('error.openExisting')}</Link>}
          <Button size="small" loading={creating} onClick={onCreate}>
            {t('error.createAnyway')}
          </Button>
        </Space>
      }
    />
  );
}
