import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Card, Descriptions, Flex, List, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useI18n } from '../../i18n';
import { stageLabel } from './labels';
import { AccountQuery, OverdueTasksQuery } from './operations';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Account 360: details (masked fields come masked from the API), contacts, timeline, overdue
 * tasks, opportunities and receivables. */
export default function AccountPage() {
  const { t } = useI18n();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(AccountQuery, { variables: { id: id! } });
  const tasks = useQuery(OverdueTasksQuery);
  const account = data?.account;

  if (!account && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!account) return <Skeleton active />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {account.name} <Tag>{stageLabel(t, account.lifecycleStage)}</Tag>
          {account.inPool && <Tag color="orange">{t('accounts.inPool')}</Tag>}
        </Typography.Title>
        <Button icon={<EditOutlined />} onClick={() => navigate(`/accounts/${account.id}/edit`)}>
          {t('form.edit')}
        </Button>
      </Flex>
      <Card title={t('accounts.details')}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('accounts.industry')}>{account.industry}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.size')}>{account.size}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.level')}>{account.level}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.province')}>{account.province}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.city')}>{account.city}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.address')}>{account.address}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.phone')}>{account.phone}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.email')}>{account.email}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.website')}>{account.website}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.source')}>{account.source}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.owner')}>{account.owner?.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('accounts.tags')}>
            {account.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('accounts.receivables')}>
            {t('accounts.outstanding')} {account.receivables.outstanding} {account.receivables.currency} ·{' '}
            {t('accounts.overdue')} {account.receivables.overdue}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'contacts',
              label: t('accounts.contacts'),
              children: (
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={account.contacts.edges.map((e) => e.node)}
                  columns={[
                    { title: t('accounts.name'), dataIndex: 'name' },
                    { title: t('accounts.contactTitle'), dataIndex: 'title' },
                    { title: t('accounts.phone'), dataIndex: 'phone' },
                    { title: t('accounts.email'), dataIndex: 'email', responsive: ['md'] },
                  ]}
                />
              ),
            },
            {
              key: 'activities',
              label: t('accounts.activities'),
              children: (
                <Timeline
                  items={account.activities.edges.map(({ node }) => ({
                    key: node.id,
                    children: (
                      <>
                        <strong>{node.subject}</strong> <Tag>{node.kind}</Tag>
                        <div>{node.content}</div>
                        <Typography.Text type="secondary">
                          {when(node.occurredAt)} · {node.owner?.displayName}
                        </Typography.Text>
                      </>
                    ),
                  }))}
                />
              ),
            },
            {
              key: 'tasks',
              label: t('accounts.tasks'),
              children: (
                <List
                  dataSource={tasks.data?.overdueTasks.filter((task) => task.accountId === account.id) ?? []}
                  locale={{ emptyText: t('dash.none') }}
                  renderItem={(task) => (
                    <List.Item>
                      {task.title} · {t('dash.due')} {when(task.dueAt)}
                    </List.Item>
                  )}
                />
              ),
            },
            {
              key: 'opportunities',
              label: t('accounts.opportunities'),
              children: (
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={account.opportunities.edges.map((e) => e.node)}
                  columns={[
                    { title: t('opps.name'), dataIndex: 'name' },
                    { title: t('opps.stage'), key: 'stage', render: (_, o) => o.stage.name },
                    { title: t('opps.amount'), key: 'amount', render: (_, o) => o.amount && `${o.amount} ${o.currency}` },
                    { title: t('opps.status'), dataIndex: 'status' },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
