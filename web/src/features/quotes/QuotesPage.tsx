import { useQuery } from '@apollo/client/react';
import { Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { money, QUOTE_STATUSES, quoteStatusLabel } from '../opportunities/labels';
import { QuotesQuery } from './operations';

const FILTERS = ['status', 'opportunityId'] as const;

/** Quote versions the caller may see, newest first; by status or one opportunity's, paged, all in the URL. */
export default function QuotesPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(QuotesQuery, {
    variables: { ...list.filter, after: list.after },
  });
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('quotes.title')}
      </Typography.Title>
      <Flex wrap gap={8} align="center">
        <Select
          aria-label={t('leads.filterStatus')}
          placeholder={t('opps.status')}
          allowClear
          value={list.filter.status}
          onChange={(value?: string) => list.set('status', value ?? null)}
          options={QUOTE_STATUSES.map((s) => ({ value: s, label: quoteStatusLabel(t, s) }))}
          style={{ flex: '0 1 180px' }}
        />
        {list.filter.opportunityId && (
          <>
            <Link to={`/opportunities/${list.filter.opportunityId}`}>{t('quotes.openOpportunity')}</Link>
            <Button size="small" onClick={() => list.set('opportunityId', null)}>
              {t('opps.clear')}
            </Button>
          </>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.quotes.edges.map((e) => e.node) ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('opps.account'),
            key: 'account',
            render: (_, q) => <Link to={`/quotes/${q.id}`}>{`${q.account.name} · V${q.version}`}</Link>,
          },
          { title: t('opps.status'), dataIndex: 'status', render: (s: string) => <Tag>{quoteStatusLabel(t, s)}</Tag> },
          { title: t('quotes.total'), key: 'total', render: (_, q) => money(q.total, q.currency) },
          { title: t('quotes.discount'), dataIndex: 'effectiveDiscount', responsive: ['md'], render: (d: string) => `${Number(d)}%` },
          { title: t('quotes.validUntil'), dataIndex: 'validUntil', responsive: ['lg'] },
          { title: t('opps.owner'), key: 'owner', responsive: ['lg'], render: (_, q) => q.owner.displayName },
        ]}
      />
      <ListFooter
        total={shown ? s('quotes.count', { count: shown.quotes.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.quotes.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.quotes.pageInfo.endCursor)}
      />
    </Space>
  );
}
