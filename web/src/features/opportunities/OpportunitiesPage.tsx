import { useQuery } from '@apollo/client/react';
import { Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { CreateOpportunityDialog } from './CreateOpportunityDialog';
import { money, OPPORTUNITY_STATUSES, opportunityStatusLabel } from './labels';
import { OpportunitiesQuery } from './operations';
import { strings } from './strings';

const FILTERS = ['stageId', 'ownerId', 'status'] as const;

/** The opportunities the caller may see, newest first, in cursor pages; filtered by status, and by the stage or
 * owner the pipeline and funnel charts link to, all in the URL. */
export default function OpportunitiesPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { filter, set, page, after, hasPrevious, clear } = useListParams(FILTERS);
  const [creating, setCreating] = useState(false);
  const { data, previousData, loading, error, refetch } = useQuery(OpportunitiesQuery, { variables: { filter, after } });
  const shown = data ?? previousData;
  const rows = shown?.opportunities.edges.map((e) => e.node) ?? [];
  const stage = filter.stageId && rows[0]?.stage.name;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('opps.title')}
        </Typography.Title>
        <Space wrap>
          <Link to="/pipeline">{t('board.open')}</Link>
          {can('sales:opportunity:create') && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {s('opp.new')}
            </Button>
          )}
        </Space>
      </Flex>
      <Flex gap={8} align="center" wrap>
        <Select
          aria-label={s('opp.filterStatus')}
          placeholder={t('opps.status')}
          allowClear
          value={filter.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={OPPORTUNITY_STATUSES.map((status) => ({ value: status, label: opportunityStatusLabel(t, status) }))}
          style={{ flex: '0 1 140px' }}
        />
        {(filter.stageId || filter.ownerId) && (
          <>
            <span>{t('opps.filtered', { what: [stage, filter.ownerId && rows[0]?.owner.displayName].filter(Boolean).join(' · ') })}</span>
            <Button size="small" onClick={clear}>
              {t('opps.clear')}
            </Button>
          </>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('opps.name'),
            dataIndex: 'name',
            render: (name: string, o) => <Link to={`/opportunities/${o.id}`}>{name}</Link>,
          },
          {
            title: t('opps.account'),
            key: 'account',
            render: (_, o) => <Link to={`/accounts/${o.account.id}`}>{o.account.name}</Link>,
          },
          {
            title: t('opps.status'),
            dataIndex: 'status',
            render: (status: string) => <Tag>{opportunityStatusLabel(t, status)}</Tag>,
          },
          { title: t('opps.stage'), key: 'stage', render: (_, o) => o.stage.name },
          { title: t('opps.amount'), key: 'amount', render: (_, o) => money(o.amount, o.currency) },
          { title: t('opps.close'), dataIndex: 'expectedCloseDate', responsive: ['md'] },
          { title: t('opps.owner'), key: 'owner', responsive: ['md'], render: (_, o) => o.owner.displayName },
        ]}
      />
      <ListFooter
        total={shown ? t('opps.total', { count: shown.opportunities.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.opportunities.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.opportunities.pageInfo.endCursor)}
      />
      {creating && <CreateOpportunityDialog open onClose={() => setCreating(false)} />}
    </Space>
  );
}
