import { Button, Flex, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { ErrorState } from '../../../components/ErrorState';
import { useI18n } from '../../../i18n';

interface Props<T> {
  title: string;
  newLabel: string;
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  name: (row: T) => string;
  columns: ColumnsType<T>;
  loading: boolean;
  error?: unknown;
  retry: () => void;
  /** Whether the caller may save: the API checks it again. */
  editable: boolean;
  /** The dialog for a new row (`null`) or one to change, closed by `onClose`. */
  dialog: (row: T | null, onClose: () => void) => ReactNode;
}

/** A support administration screen: its rows in a table and one dialog to create or change a row. */
export function AdminList<T extends object>({ title, newLabel, rows, rowKey, name, columns, loading, error, retry, editable, dialog }: Props<T>) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  if (error && !rows) return <ErrorState error={error} retry={retry} />;
  const actions: ColumnsType<T> = editable
    ? [
        {
          title: t('users.actions'),
          key: 'actions',
          render: (_, row) => (
            <Button type="link" aria-label={t('users.editNamed', { name: name(row) })} onClick={() => setEditing(row)}>
              {t('form.edit')}
            </Button>
          ),
        },
      ]
    : [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {title}
        </Typography.Title>
        {editable && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {newLabel}
          </Button>
        )}
      </Flex>
      <Table<T>
        rowKey={rowKey}
        size="small"
        loading={loading}
        dataSource={rows ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        aria-label={title}
        columns={[...columns, ...actions]}
      />
      {editing && dialog(editing === 'new' ? null : editing, () => setEditing(null))}
    </Space>
  );
}
