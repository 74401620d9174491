import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, Select, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { CampaignStatus, CampaignType } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { CampaignTable } from './CampaignTable';
import { CampaignsQuery } from './operations';
import { STATUSES, TYPES, strings } from './strings';

const FILTERS = ['search', 'type', 'status'] as const;

/** The campaigns the caller may see, latest start first: searched by name, filtered by type and
 * status, paged, all in the URL. */
export default function CampaignsPage() {
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { filter, set, page, after, hasPrevious } = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(CampaignsQuery, {
    variables: {
      filter: {
        search: filter.search,
        type: filter.type ? [filter.type as CampaignType] : null,
        status: filter.status ? [filter.status as CampaignStatus] : null,
      },
      after,
    },
  });
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('campaigns.title')}
        </Typography.Title>
        {can('marketing:campaign:create') && (
          <Button type="primary" onClick={() => navigate('/campaigns/new')}>
            {s('campaigns.new')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('campaigns.search')}
          placeholder={s('campaigns.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 240px' }}
        />
        <Select
          aria-label={s('campaigns.filterType')}
          placeholder={s('field.type')}
          allowClear
          value={filter.type}
          onChange={(value?: string) => set('type', value ?? null)}
          options={TYPES.map((type) => ({ value: type, label: s(`type.${type}`) }))}
          style={{ flex: '0 1 150px' }}
        />
        <Select
          aria-label={s('campaigns.filterStatus')}
          placeholder={s('field.status')}
          allowClear
          value={filter.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={STATUSES.map((status) => ({ value: status, label: s(`status.${status}`) }))}
          style={{ flex: '0 1 130px' }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <CampaignTable loading={loading} rows={shown?.campaigns.edges.map((e) => e.node) ?? []} />
      <ListFooter
        total={shown ? s('campaigns.total', { count: shown.campaigns.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.campaigns.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.campaigns.pageInfo.endCursor)}
      />
    </Space>
  );
}

