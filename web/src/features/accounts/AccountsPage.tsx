import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Dropdown, Flex, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { download } from '../../components/exports';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n } from '../../i18n';
import { AccountFilters } from './AccountFilters';
import { BulkActions } from './BulkActions';
import { stageLabel } from './labels';
import { filterOf, orderOf } from './listParams';
import { AccountsQuery, ClaimFromPoolMutation, ExportAccountsMutation } from './operations';
import { SavedViews } from './SavedViews';

/** Accounts, or the public pool: search (Chinese fragments and pinyin initials, done by the API),
 * classification, tag and custom filters, sort and cursor pages, all kept in the URL so a list can be
 * linked to, saved as a view and drilled into from a chart. Selected rows are transferred, released or
 * merged; the whole filtered list is exported. */
export default function AccountsPage() {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const { params, update, page, after, hasPrevious } = useListParams([]);
  const navigate = useNavigate();
  const filter = filterOf(params);
  const pool = !!filter.inPool;
  const [selected, setSelected] = useState<string[]>([]);
  const { data, previousData, loading, error, refetch } = useQuery(AccountsQuery, {
    variables: { filter, orderBy: orderOf(params), after },
  });
  const [exportAccounts, exporting] = useMutation(ExportAccountsMutation);
  const [claim] = useMutation(ClaimFromPoolMutation);
  const shown = data ?? previousData;

  // changed filters are no longer the saved view, and the selection belongs to the rows that were shown
  function change(edit: (next: URLSearchParams) => void) {
    update((next) => {
      edit(next);
      next.delete('view');
    });
    setSelected([]);
  }

  async function exportAs(format: string) {
    try {
      const { data: file } = await exportAccounts({ variables: { filter, format } });
      const { fileName, contentType, contentBase64, rowCount } = file!.exportAccounts;
      download(new Blob([Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0))], { type: contentType }), fileName);
      message.success(t('accounts.exported', { count: rowCount }));
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  async function claimOne(id: string) {
    try {
      await claim({ variables: { id } });
      message.success(t('accounts.claimed'));
      void refetch();
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {pool ? t('accounts.pool') : t('accounts.title')}
        </Typography.Title>
        <Flex wrap gap={8}>
          {can('customer:account:export') && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: ['csv', 'xlsx'].map((f) => ({ key: f, label: f.toUpperCase(), onClick: () => void exportAs(f) })),
              }}
            >
              <Button icon={<DownloadOutlined />} loading={exporting.loading}>
                {t('accounts.export')}
              </Button>
            </Dropdown>
          )}
          {can('customer:account:import') && (
            <Button icon={<UploadOutlined />} onClick={() => navigate('/imports')}>
              {t('nav.imports')}
            </Button>
          )}
          {can('customer:account:create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/accounts/new')}>
              {t('accounts.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      {can('customer:pool:read') && (
        <Tabs
          activeKey={pool ? 'pool' : 'mine'}
          onChange={(key) => change((next) => (key === 'pool' ? next.set('pool', '1') : next.delete('pool')))}
          items={[
            { key: 'mine', label: t('accounts.mine') },
            { key: 'pool', label: t('accounts.pool') },
          ]}
        />
      )}
      <SavedViews />
      <AccountFilters change={change} />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <BulkActions
        ids={selected}
        done={() => {
          setSelected([]);
          void refetch();
        }}
      />
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.accounts.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
        rowSelection={
          pool
            ? undefined
            : {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                // antd copies the column titles into an aria-hidden measuring row: a select-all checkbox
                // there would be focusable yet hidden from screen readers
                hideSelectAll: true,
                getCheckboxProps: (row) => ({ 'aria-label': t('accounts.select', { name: row.name }) }),
              }
        }
        columns={[
          {
            title: t('accounts.name'),
            dataIndex: 'name',
            render: (name: string, row) => <Link to={`/accounts/${row.id}`}>{name}</Link>,
          },
          { title: t('accounts.industry'), dataIndex: 'industry', responsive: ['md'] },
          {
            title: t('accounts.city'),
            key: 'place',
            responsive: ['lg'],
            render: (_, row) => [row.province, row.city].filter(Boolean).join(' · '),
          },
          { title: t('accounts.level'), dataIndex: 'level' },
          {
            title: t('accounts.stage'),
            dataIndex: 'lifecycleStage',
            responsive: ['sm'],
            render: (stage: string) => <Tag>{stageLabel(t, stage)}</Tag>,
          },
          {
            title: t('accounts.tags'),
            dataIndex: 'tags',
            responsive: ['xl'],
            render: (tags: string[]) => tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
          },
          pool
            ? {
                title: t('accounts.claim'),
                key: 'claim',
                render: (_, row) =>
                  can('customer:pool:claim') && (
                    <Button size="small" aria-label={`${t('accounts.claim')} ${row.name}`} onClick={() => void claimOne(row.id)}>
                      {t('accounts.claim')}
                    </Button>
                  ),
              }
            : { title: t('accounts.owner'), key: 'owner', responsive: ['md'], render: (_, row) => row.owner?.displayName },
        ]}
      />
      <ListFooter
        total={
          shown
            ? t(shown.accounts.totalCountIsExact ? 'accounts.total' : 'accounts.totalAbout', {
                count: shown.accounts.totalCount.toLocaleString(language),
              })
            : null
        }
        hasPrevious={hasPrevious}
        hasNext={!!shown?.accounts.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.accounts.pageInfo.endCursor)}
      />
    </Space>
  );
}
