import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { LEVELS, STAGES, stageLabel } from './labels';
import { AccountsQuery } from './operations';

const FILTERS = ['search', 'industry', 'level', 'lifecycleStage'] as const;

/** Search (Chinese fragments and pinyin initials, done by the API), filters and cursor pages, all
 * kept in the URL so a list can be linked to and a chart can drill into it. */
export default function AccountsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || null]));
  const cursors = params.getAll('page');
  const { data, previousData, loading, error, refetch } = useQuery(AccountsQuery, {
    variables: { filter, after: cursors.at(-1) ?? null },
  });
  const shown = data ?? previousData;

  function set(name: (typeof FILTERS)[number], value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('page');
    setParams(next);
  }

  function page(forward: boolean) {
    const next = new URLSearchParams(params);
    next.delete('page');
    const stack = forward ? [...cursors, shown!.accounts.pageInfo.endCursor!] : cursors.slice(0, -1);
    stack.forEach((c) => next.append('page', c));
    setParams(next);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('accounts.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/accounts/new')}>
          {t('accounts.new')}
        </Button>
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={t('accounts.search')}
          placeholder={t('accounts.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 260px' }}
        />
        <Input
          aria-label={t('accounts.filterIndustry')}
          placeholder={t('accounts.industry')}
          defaultValue={filter.industry ?? ''}
          onPressEnter={(e) => set('industry', e.currentTarget.value.trim())}
          onBlur={(e) => set('industry', e.currentTarget.value.trim())}
          style={{ flex: '0 1 140px' }}
        />
        <Select
          aria-label={t('accounts.filterLevel')}
          placeholder={t('accounts.level')}
          allowClear
          value={filter.level}
          onChange={(value?: string) => set('level', value ?? null)}
          options={LEVELS.map((l) => ({ value: l, label: l }))}
          style={{ flex: '0 1 120px' }}
        />
        <Select
          aria-label={t('accounts.filterStage')}
          placeholder={t('accounts.stage')}
          allowClear
          value={filter.lifecycleStage}
          onChange={(value?: string) => set('lifecycleStage', value ?? null)}
          options={STAGES.map((s) => ({ value: s, label: stageLabel(t, s) }))}
          style={{ flex: '0 1 140px' }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.accounts.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
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
          { title: t('accounts.owner'), key: 'owner', responsive: ['md'], render: (_, row) => row.owner?.displayName },
        ]}
      />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <span role="status">{shown && t('accounts.total', { count: shown.accounts.totalCount })}</span>
        <Space>
          <Button disabled={!cursors.length} onClick={() => page(false)}>
            {t('accounts.prev')}
          </Button>
          <Button disabled={!shown?.accounts.pageInfo.hasNextPage} onClick={() => page(true)}>
            {t('accounts.next')}
          </Button>
        </Space>
      </Flex>
    </Space>
  );
}
