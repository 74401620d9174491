import { useQuery } from '@apollo/client/react';
import { Card, Flex, Table, Tag } from 'antd';
import { useState } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import type { CampaignQuery as Campaign } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { CampaignMembersQuery } from './operations';
import { strings } from './strings';

/** The campaign's members with how far each went, counted by status, twenty a page (loaded after
 * the campaign's own details). */
export function MembersCard({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, previousData, loading, error, refetch } = useQuery(CampaignMembersQuery, {
    variables: { id: campaign.id, after: cursors.at(-1) ?? null },
  });
  const members = (data ?? previousData)?.campaign.members;

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('campaign.members')}</h2>}>
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        {campaign.memberCounts.map(({ status, count }) => (
          <Tag key={status}>{`${s(`member.${status}`)} ${count}`}</Tag>
        ))}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={members?.edges.map((e) => e.node) ?? []}
        columns={[
          { title: s('campaign.contact'), key: 'name', render: (_, row) => row.contactName ?? s('campaign.lead') },
          { title: s('campaign.email'), dataIndex: 'email', responsive: ['sm'] },
          { title: s('field.status'), key: 'status', render: (_, row) => <Tag>{s(`member.${row.status}`)}</Tag> },
          { title: s('campaign.addedAt'), key: 'addedAt', responsive: ['md'], render: (_, row) => new Date(row.addedAt).toLocaleDateString() },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <ListFooter
          total={members ? s('campaign.membersTotal', { count: members.totalCount }) : null}
          hasPrevious={cursors.length > 0}
          hasNext={!!members?.pageInfo.hasNextPage}
          onPage={(forward) =>
            setCursors(forward && members?.pageInfo.endCursor ? [...cursors, members.pageInfo.endCursor] : cursors.slice(0, -1))
          }
        />
      </div>
    </Card>
  );
}
