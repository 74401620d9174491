import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { JourneysQuery } from './operations';
import { strings } from './strings';

/** The journeys the caller may see, draft or live. */
export default function JourneysPage() {
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(JourneysQuery);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('journeys.title')}
        </Typography.Title>
        {can('marketing:journey:create') && (
          <Button type="primary" onClick={() => navigate('/marketing/journeys/new')}>
            {s('journeys.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: s('journeys.none') }}
        dataSource={data?.journeys ?? []}
        columns={[
          { title: s('journey.name'), key: 'name', render: (_, row) => <Link to={`/marketing/journeys/${row.id}`}>{row.name}</Link> },
          {
            title: s('journey.status'),
            key: 'status',
            render: (_, row) => <Tag>{s(`jstatus.${row.status}`)}</Tag>,
          },
          { title: s('journey.updatedAt'), key: 'updatedAt', responsive: ['md'], render: (_, row) => new Date(row.updatedAt).toLocaleString() },
        ]}
      />
    </Space>
  );
}
