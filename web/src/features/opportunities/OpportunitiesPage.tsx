import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { money, opportunityStatusLabel } from './labels';
import { OpportunitiesQuery } from './operations';

const FILTERS = ['stageId', 'ownerId', 'status'] as const;

/** The list behind the pipeline and funnel charts, filtered by the URL they link to. */
export default function OpportunitiesPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || null]));
  const { data, previousData, loading, error, refetch } = useQuery(OpportunitiesQuery, { variables: { filter } });
  const shown = data ?? previousData;
  const rows = shown?.opportunities.edges.map((e) => e.node) ?? [];
  const stage = filter.stageId && rows[0]?.stage.name;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('opps.title')}
        </Typography.Title>
        <Link to="/pipeline">{t('board.open')}</Link>
      </Flex>
      {params.size > 0 && (
        <Flex gap={8} align="center" wrap>
          <span>
            {t('opps.filtered', {
              what: [stage, filter.status && opportunityStatusLabel(t, filter.status)].filter(Boolean).join(' · '),
            })}
          </span>
          <Button size="small" onClick={() => setParams({})}>
            {t('opps.clear')}
          </Button>
        </Flex>
      )}
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
          { title: t('opps.stage'), key: 'stage', render: (_, o) => o.stage.name },
          { title: t('opps.amount'), key: 'amount', render: (_, o) => money(o.amount, o.currency) },
          { title: t('opps.close'), dataIndex: 'expectedCloseDate', responsive: ['md'] },
          { title: t('opps.owner'), key: 'owner', responsive: ['md'], render: (_, o) => o.owner.displayName },
        ]}
      />
      <span role="status">{shown && t('opps.total', { count: shown.opportunities.totalCount })}</span>
    </Space>
  );
}
