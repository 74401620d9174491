import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { WorkflowsQuery } from './operations';
import { strings } from './strings';

/** The rules with their status and published version; each opens its editor, its runs a click away. */
export default function WorkflowsPage() {
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(WorkflowsQuery);
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('workflows.title')}
        </Typography.Title>
        <Flex wrap gap={8}>
          <Link to="/automation/runs">{s('runs.title')}</Link>
          {can('automation:workflow:create') && (
            <Button type="primary" onClick={() => navigate('/automation/workflows/new')}>
              {s('workflows.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.workflows ?? []}
        locale={{ emptyText: s('workflows.none') }}
        columns={[
          { title: s('workflow.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/automation/workflows/${row.id}`}>{name}</Link> },
          { title: s('workflows.status'), dataIndex: 'status', render: (status: 'DRAFT') => <Tag>{s(`status.${status}`)}</Tag> },
          { title: s('workflows.version'), dataIndex: 'version', render: (v: number) => (v ? s('workflow.version', { version: v }) : s('workflows.unpublished')) },
          { title: s('workflows.updated'), dataIndex: 'updatedAt', responsive: ['md'], render: (at: string) => new Date(at).toLocaleString() },
          { title: s('runs.title'), key: 'runs', render: (_, row) => <Link to={`/automation/runs?workflowId=${row.id}`}>{s('workflows.runs')}</Link> },
        ]}
      />
    </Space>
  );
}
