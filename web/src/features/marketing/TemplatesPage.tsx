import { useQuery } from '@apollo/client/react';
import { Button, Flex, Space, Table, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { EmailTemplatesQuery } from './operations';
import { strings } from './strings';

/** The email templates an email campaign sends. */
export default function TemplatesPage() {
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(EmailTemplatesQuery);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('templates.title')}
        </Typography.Title>
        {can('marketing:template:create') && (
          <Button type="primary" onClick={() => navigate('/marketing/templates/new')}>
            {s('templates.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.emailTemplates ?? []}
        columns={[
          {
            title: s('templates.name'),
            dataIndex: 'name',
            render: (name: string, row) => <Link to={`/marketing/templates/${row.id}`}>{name}</Link>,
          },
          { title: s('templates.subject'), dataIndex: 'subjectZh', responsive: ['sm'] },
          { title: s('templates.updatedAt'), key: 'updatedAt', responsive: ['md'], render: (_, row) => new Date(row.updatedAt).toLocaleString() },
        ]}
      />
    </Space>
  );
}
