import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Flex, Select, Table, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import type { CampaignQuery as Campaign } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { AddSegmentToCampaignMutation, CampaignMembersQuery, SegmentsQuery } from './operations';
import { strings } from './strings';

/** The campaign's members with how far each went, counted by status, twenty a page (loaded after
 * the campaign's own details, and again when its counts change: a send moves them). */
export function MembersCard({ campaign }: { campaign: Campaign['campaign'] }) {
  const s = useStrings(strings);
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, previousData, loading, error, refetch } = useQuery(CampaignMembersQuery, {
    variables: { id: campaign.id, after: cursors.at(-1) ?? null },
  });
  const members = (data ?? previousData)?.campaign.members;
  // the rows follow the counts above them, which the campaign's page asks for again while mails go out
  const counts = JSON.stringify(campaign.memberCounts);
  const counted = useRef(counts);
  useEffect(() => {
    if (counted.current === counts) return;
    counted.current = counts;
    void refetch();
  }, [counts, refetch]);

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('campaign.members')}</h2>}>
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        {campaign.memberCounts.map(({ status, count }) => (
          <Tag key={status}>{`${s(`member.${status}`)} ${count}`}</Tag>
        ))}
      </Flex>
      {can('marketing:campaign:update') && can('marketing:segment:read') && <FromSegment campaignId={campaign.id} />}
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

/** Adds a segment's members (those already members stay as they are). */
function FromSegment({ campaignId }: { campaignId: string }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const { data, loading } = useQuery(SegmentsQuery, { variables: { search: search.trim() || null } });
  const [add, adding] = useMutation(AddSegmentToCampaignMutation, { refetchQueries: ['CampaignMembers'] });

  async function addIt() {
    try {
      await add({ variables: { id: campaignId, segmentId: segmentId! } });
      setSegmentId(null);
      void message.success(s('segment.added'));
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Flex wrap gap={8} style={{ marginBottom: 12 }}>
      <Select
        aria-label={s('segment.toCampaign')}
        placeholder={s('segment.toCampaign')}
        showSearch
        filterOption={false}
        onSearch={setSearch}
        loading={loading}
        value={segmentId}
        onChange={(id: string) => setSegmentId(id)}
        options={data?.segments.edges.map(({ node }) => ({ value: node.id, label: node.name })) ?? []}
        style={{ flex: '1 1 240px' }}
      />
      <Button disabled={!segmentId} loading={adding.loading} onClick={() => void addIt()}>
        {s('segment.addToCampaign')}
      </Button>
    </Flex>
  );
}
