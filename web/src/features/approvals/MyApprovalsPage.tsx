import { useQuery } from '@apollo/client/react';
import { Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import type { ApprovalFieldsFragment } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { ApprovalHistory, DecideButtons } from './ApprovalPanel';
import { DelegationsCard } from './DelegationsCard';
import { MyApprovalsQuery } from './operations';
import { strings } from './strings';

const LINKS: Record<string, (id: string) => string> = {
  QUOTE: (id) => `/quotes/${id}`,
  CONTRACT: (id) => `/contracts/${id}`,
  CAMPAIGN_BUDGET: (id) => `/campaigns/${id}`,
};

/** What waits on the caller's decision (as approver or delegate), oldest first, each with its subject's
 * summary and history; approve or reject (with a reason) right here; and who decides for the caller while away. */
export default function MyApprovalsPage() {
  const s = useStrings(strings);
  const { data, loading, error, refetch } = useQuery(MyApprovalsQuery, { fetchPolicy: 'cache-and-network' });
  if (!data && error) return <ErrorState error={error} retry={() => void refetch()} />;
  const items = data?.myApprovals ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('approvals.title')}
      </Typography.Title>
      <DelegationsCard />
      <List
        loading={loading && !data}
        dataSource={items}
        locale={{ emptyText: <Empty description={s('approvals.none')} /> }}
        renderItem={(a: ApprovalFieldsFragment) => (
          <List.Item key={a.id} style={{ display: 'block' }}>
            <Card size="small" role="group" aria-label={a.title}>
              <Flex justify="space-between" wrap gap={8} align="center">
                <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                  <Tag>{s(`approvals.kind.${a.subjectKind}`)}</Tag> <Link to={LINKS[a.subjectKind](a.subjectId)}>{a.title}</Link>
                </Typography.Title>
                <Tag color="blue">{s('approvals.levelOf', { level: a.level, count: a.levelCount })}</Tag>
              </Flex>
              <Flex wrap gap={16} style={{ margin: '8px 0' }}>
                {a.amount && <span>{s('approvals.amount', { amount: `${Number(a.amount).toLocaleString()} ${a.currency ?? ''}`.trim() })}</span>}
                {a.discount && <span>{s('approvals.discount', { percent: Number(a.discount) })}</span>}
                {a.requester && <span>{s('approvals.requester', { name: a.requester.displayName })}</span>}
              </Flex>
              <ApprovalHistory approval={a} />
              <DecideButtons approval={a} always onDecided={() => void refetch()} />
            </Card>
          </List.Item>
        )}
      />
    </Space>
  );
}
