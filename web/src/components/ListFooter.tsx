import { Button, Flex, Space } from 'antd';
import { useI18n } from '../i18n';

/** A list's count (announced to screen readers) and its previous and next page buttons. */
export function ListFooter({
  total,
  hasPrevious,
  hasNext,
  onPage,
}: {
  total: string | null;
  hasPrevious: boolean;
  hasNext: boolean;
  onPage: (forward: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <span role="status">{total}</span>
      <Space>
        <Button disabled={!hasPrevious} onClick={() => onPage(false)}>
          {t('accounts.prev')}
        </Button>
        <Button disabled={!hasNext} onClick={() => onPage(true)}>
          {t('accounts.next')}
        </Button>
      </Space>
    </Flex>
  );
}
