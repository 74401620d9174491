/**
 * An analytics table: every column sorts and filters, and what is shown (sorted and filtered) exports to
 * CSV or XLSX in the browser. Each column says its exported value once; the screen may render it richer.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { exportSheet, type Cell } from './exports';

export interface ReportColumn<T> {
  key: string;
  title: string;
  value: (row: T) => Cell;
  render?: (row: T) => ReactNode;
}

interface Props<T> {
  /** The exported file's name. */
  name: string;
  /** What the table shows, for screen readers and the export buttons. */
  caption: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: ReportColumn<T>[];
  loading?: boolean;
}

function compare(a: Cell, b: Cell): number {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '' ? 0 : -1;
  if (b === null || b === undefined || b === '') return 1;
  const [x, y] = [Number(a), Number(b)];
  return Number.isNaN(x) || Number.isNaN(y) ? String(a).localeCompare(String(b), 'zh-CN') : x - y;
}

export default function ReportTable<T extends object>({ name, caption, rows, rowKey, columns, loading }: Props<T>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [shown, setShown] = useState<T[] | null>(null);
  const visible = shown ?? rows;
  useEffect(() => setShown(null), [rows]);

  const tableColumns: ColumnsType<T> = useMemo(
    () =>
      columns.map((column) => {
        const values = [...new Set(rows.map((row) => String(column.value(row) ?? '')))].sort((a, b) =>
          compare(a, b),
        );
        return {
          key: column.key,
          title: column.title,
          sorter: (a: T, b: T) => compare(column.value(a), column.value(b)),
          filters: values.map((value) => ({ text: value || '—', value })),
          filterSearch: values.length > 8,
          onFilter: (value, row) => String(column.value(row) ?? '') === value,
          render: (_: unknown, row: T) => (column.render ? column.render(row) : column.value(row)),
        };
      }),
    [columns, rows],
  );

  async function exportAs(format: 'csv' | 'xlsx') {
    try {
      await exportSheet(
        { name, header: columns.map((c) => c.title), rows: visible.map((row) => columns.map((c) => c.value(row))) },
        format,
      );
    } catch {
      void message.error(t('error.unknown'));
    }
  }

  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap justify="flex-end">
        <Button size="small" icon={<DownloadOutlined />} aria-label={`${t('report.csv')} · ${caption}`} onClick={() => void exportAs('csv')}>
          {t('report.csv')}
        </Button>
        <Button size="small" icon={<DownloadOutlined />} aria-label={`${t('report.xlsx')} · ${caption}`} onClick={() => void exportAs('xlsx')}>
          {t('report.xlsx')}
        </Button>
      </Flex>
      <Table<T>
        rowKey={rowKey}
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={tableColumns}
        locale={{ emptyText: t('dash.noData') }}
        aria-label={caption}
        onChange={(_, __, ___, extra) => setShown(extra.currentDataSource)}
      />
    </Flex>
  );
}
