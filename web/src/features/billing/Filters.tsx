import { Button, Flex, Select } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** A status picker plus the narrowing a link brought along (one account's, one order's...), with a way out. */
export function Filters({
  status,
  statuses,
  onStatus,
  narrowed,
  onClear,
  children,
}: {
  status: string | null;
  statuses: { value: string; label: string }[];
  onStatus: (value: string | null) => void;
  narrowed: boolean;
  onClear: () => void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Flex wrap gap={8} align="center">
      <Select
        aria-label={t('leads.filterStatus')}
        placeholder={t('opps.status')}
        allowClear
        value={status}
        onChange={(value?: string) => onStatus(value ?? null)}
        options={statuses}
        style={{ flex: '0 1 160px', minWidth: 120 }}
      />
      {children}
      {narrowed && (
        <Button size="small" onClick={onClear}>
          {t('opps.clear')}
        </Button>
      )}
    </Flex>
  );
}
