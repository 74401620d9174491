import { useQuery } from '@apollo/client/react';
import { Button, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { minutes } from '../../components/duration';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { usePollingWhile } from '../../components/usePollingWhile';
import type { CallFieldsFragment as Call, CallStatus } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { TONE } from '../tickets/labels';
import { LinkCallDialog } from './LinkCallDialog';
import { CallsQuery } from './operations';
import { strings } from './strings';
import { UnmatchedOnly } from './UnmatchedOnly';

const STATUSES: CallStatus[] = ['REQUESTED', 'RINGING', 'ANSWERED', 'ENDED', 'MISSED'];
const COLORS: Record<CallStatus, string | undefined> = { REQUESTED: TONE.blue, RINGING: TONE.gold, ANSWERED: TONE.blue, ENDED: TONE.green, MISSED: TONE.red };
const UNDER_WAY: CallStatus[] = ['REQUESTED', 'RINGING', 'ANSWERED'];
const SHORT: Intl.DateTimeFormatOptions = { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' };

/** The call log, newest first, by status or only the ended calls no contact had the number of, paged in the
 * URL: each call links the account it was logged on, its recording and a missed call's call-back task; an
 * unmatched one is put on a contact from here. Calls under way are asked again until they end. */
export default function CallsPage() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const list = useListParams(['status', 'unmatched']);
  const status = list.filter.status as CallStatus | null;
  const unmatched = list.filter.unmatched === '1';
  const calls = useQuery(CallsQuery, { variables: { filter: { status, unmatched: unmatched || null }, after: list.after } });
  const { data, previousData, loading, error, refetch } = calls;
  usePollingWhile(!!data?.calls.edges.some((e) => UNDER_WAY.includes(e.node.status)), calls, 2000);
  const [linking, setLinking] = useState<Call | null>(null);
  const shown = data ?? previousData;

  const direction = (call: Call) => s(call.direction === 'inbound' ? 'direction.inbound' : 'direction.outbound');
  const statusTag = (call: Call) => <Tag color={COLORS[call.status]}>{s(`status.${call.status}`)}</Tag>;
  // a phone's one column for what the wider screens spread over four
  const summary = (call: Call) => (
    <Flex vertical gap={2}>
      <span>
        {call.number ?? '—'} {statusTag(call)}
      </span>
      <Typography.Text type="secondary">{`${direction(call)} · ${new Date(call.startedAt).toLocaleString(undefined, SHORT)}`}</Typography.Text>
    </Flex>
  );

  function contact(call: Call) {
    if (call.accountId) return <Link to={`/accounts/${call.accountId}?tab=activities`}>{s('calls.openContact')}</Link>;
    if (UNDER_WAY.includes(call.status)) return null;
    return (
      <Flex vertical gap={4} align="flex-start">
        <Tag>{s('unmatched')}</Tag>
        {can('automation:call:update') && (
          <Button size="small" onClick={() => setLinking(call)} aria-label={`${s('calls.link')} ${call.number ?? ''}`.trim()}>
            {s('calls.link')}
          </Button>
        )}
      </Flex>
    );
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.calls')}
      </Typography.Title>
      <Flex wrap gap={8}>
        <UnmatchedOnly value={unmatched} onChange={(only) => list.set('unmatched', only ? '1' : null)} />
        <Select
          allowClear
          aria-label={s('calls.status')}
          placeholder={s('calls.status')}
          value={status}
          onChange={(value?: string) => list.set('status', value ?? null)}
          options={STATUSES.map((v) => ({ value: v, label: s(`status.${v}`) }))}
          style={{ flex: '0 1 180px', minWidth: 0 }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {!(error && !shown) && (
        <>
          <Table
            rowKey="id"
            loading={loading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={shown?.calls.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: s('calls.none') }}
            columns={[
              { title: s('calls.call'), key: 'summary', responsive: ['xs'], render: (_, call) => summary(call) },
              { title: s('calls.started'), dataIndex: 'startedAt', responsive: ['sm'], render: (at: string) => new Date(at).toLocaleString() },
              { title: s('calls.direction'), key: 'direction', responsive: ['sm'], render: (_, call) => direction(call) },
              { title: s('calls.number'), dataIndex: 'number', responsive: ['sm'], render: (n: string | null) => n ?? '—' },
              { title: s('calls.status'), key: 'status', responsive: ['sm'], render: (_, call) => statusTag(call) },
              { title: s('calls.duration'), dataIndex: 'durationSeconds', responsive: ['md'], render: (d: number | null) => (d == null ? '' : minutes(d)) },
              { title: s('calls.contact'), key: 'contact', render: (_, call) => contact(call) },
              {
                title: s('calls.recording'),
                dataIndex: 'recordingUrl',
                responsive: ['md'],
                render: (url: string | null) =>
                  url && (
                    <Typography.Link href={url} target="_blank" rel="noopener noreferrer">
                      {s('calls.listen')}
                    </Typography.Link>
                  ),
              },
              {
                title: s('calls.task'),
                key: 'task',
                responsive: ['md'],
                render: (_, call) => call.taskId && call.accountId && <Link to={`/accounts/${call.accountId}?tab=tasks`}>{s('calls.openTask')}</Link>,
              },
            ]}
          />
          <ListFooter
            total={shown ? s('calls.total', { count: shown.calls.totalCount }) : null}
            hasPrevious={list.hasPrevious}
            hasNext={!!shown?.calls.pageInfo.hasNextPage}
            onPage={(forward) => list.page(forward, shown?.calls.pageInfo.endCursor)}
          />
        </>
      )}
      {linking && <LinkCallDialog call={linking} onClose={() => setLinking(null)} />}
    </Space>
  );
}
