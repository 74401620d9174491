import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useStrings } from '../../i18n';
import { SegmentsQuery } from './operations';
import { strings } from './strings';

const FILTERS = ['search'] as const;

/** The segments the caller may see, latest change first, searched by name and paged in the URL. */
export default function SegmentsPage() {
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { filter, set, page, after, hasPrevious } = useListParams(FILTERS);
  const { data, previousData, loading, error, refetch } = useQuery(SegmentsQuery, { variables: { search: filter.search, after } });
  const shown = (data ?? previousData)?.segments;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('segments.title')}
        </Typography.Title>
        {can('marketing:segment:create') && (
          <Button type="primary" onClick={() => navigate('/marketing/segments/new')}>
            {s('segments.new')}
          </Button>
        )}
      </Flex>
      <Input.Search
        aria-label={s('segments.search')}
        placeholder={s('segments.search')}
        defaultValue={filter.search ?? ''}
        allowClear
        onSearch={(value) => set('search', value.trim())}
      />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={shown?.edges.map((e) => e.node) ?? []}
        columns={[
          { title: s('segment.name'), key: 'name', render: (_, row) => <Link to={`/marketing/segments/${row.id}`}>{row.name}</Link> },
          { title: s('segment.kind'), key: 'kind', render: (_, row) => <Tag>{s(`kind.${row.kind}`)}</Tag> },
          { title: s('segment.memberCount'), dataIndex: 'memberCount', align: 'right' },
          { title: s('segment.owner'), key: 'owner', responsive: ['md'], render: (_, row) => row.owner?.displayName },
          { title: s('segment.updatedAt'), key: 'updatedAt', responsive: ['md'], render: (_, row) => new Date(row.updatedAt).toLocaleDateString() },
        ]}
      />
      <ListFooter
        total={shown ? s('segments.total', { count: shown.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.pageInfo.endCursor)}
      />
    </Space>
  );
}
