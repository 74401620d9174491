import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { DeadLettersQuery, ReplayDeadLettersMutation } from './operations';

type Letter = { eventId?: string | null; topic: string; consumerGroup: string; deadLetteredAt: string };
const rowKey = (l: Letter) => `${l.consumerGroup}/${l.topic}/${l.eventId ?? l.deadLetteredAt}`;

/** Events a service could not apply, with the service, the error and the event; selected ones are
 * replayed to their topic, one request per topic, and the count sent is shown. */
export default function DeadLettersPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const list = useListParams(['topic']);
  const { topic } = list.filter;
  const { data, previousData, loading, error, refetch } = useQuery(DeadLettersQuery, { variables: { topic, after: list.after } });
  const [replay, replaying] = useMutation(ReplayDeadLettersMutation);
  const [selected, setSelected] = useState<Letter[]>([]);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = data ?? previousData;

  // the selection belongs to the rows shown: another topic or page starts a new one
  function search(value: string | null) {
    setSelected([]);
    list.set('topic', value);
  }

  function page(forward: boolean, endCursor?: string | null) {
    setSelected([]);
    list.page(forward, endCursor);
  }

  async function replaySelected() {
    setResult(null);
    const byTopic = new Map<string, string[]>();
    selected.forEach((l) => byTopic.set(l.topic, [...(byTopic.get(l.topic) ?? []), l.eventId!]));
    let sent = 0;
    try {
      for (const [name, eventIds] of byTopic) {
        const answer = await replay({ variables: { topic: name, eventIds } });
        sent += answer.data?.replayDeadLetters ?? 0;
      }
      setResult({ ok: true, text: s('deadLetters.replayed', { count: sent }) });
      setSelected([]);
    } catch (failure) {
      setResult({ ok: false, text: describe(failure, t) });
    }
    await refetch();
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.deadLetters')}
      </Typography.Title>
      <Flex wrap gap={8} align="center">
        <Input.Search
          key={topic ?? ''}
          aria-label={s('deadLetters.topic')}
          placeholder={s('deadLetters.topicHint')}
          defaultValue={topic ?? ''}
          allowClear
          onSearch={(value) => search(value.trim() || null)}
          style={{ flex: '1 1 260px' }}
        />
        {can('identity:dead_letter:replay') && (
          <Button type="primary" disabled={!selected.length} loading={replaying.loading} onClick={() => void replaySelected()}>
            {s('deadLetters.replay', { count: selected.length })}
          </Button>
        )}
      </Flex>
      {result && <Alert showIcon role={result.ok ? 'status' : 'alert'} type={result.ok ? 'success' : 'error'} message={result.text} />}
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {!(error && !shown) && (
        <>
          <Table
            rowKey={rowKey}
            loading={loading}
            dataSource={shown?.deadLetters.edges.map((e) => e.node) ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: s('deadLetters.none') }}
            rowSelection={
              can('identity:dead_letter:replay')
                ? {
                    selectedRowKeys: selected.map(rowKey),
                    onChange: (_, rows) => setSelected(rows),
                    getCheckboxProps: (row) => ({ disabled: !row.eventId, 'aria-label': s('deadLetters.select', { id: row.eventId ?? '' }) }),
                  }
                : undefined
            }
            columns={[
              { title: s('deadLetters.service'), dataIndex: 'consumerGroup' },
              {
                title: s('deadLetters.event'),
                key: 'event',
                render: (_, row) => (
                  <Space direction="vertical" size={0}>
                    <span>{row.type ?? s('deadLetters.notAnEvent')}</span>
                    <Typography.Text type="secondary">{row.topic}</Typography.Text>
                    {row.subject && <Typography.Text type="secondary">{row.subject}</Typography.Text>}
                    {row.eventId && <Typography.Text type="secondary">{row.eventId}</Typography.Text>}
                  </Space>
                ),
              },
              { title: s('deadLetters.error'), dataIndex: 'error', render: (text: string) => <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{text}</span> },
              { title: s('deadLetters.attempts'), dataIndex: 'attempts', responsive: ['md'] },
              { title: s('deadLetters.at'), dataIndex: 'deadLetteredAt', responsive: ['md'], render: (at: string) => new Date(at).toLocaleString() },
              {
                title: s('deadLetters.replayedAt'),
                key: 'replayed',
                render: (_, row) =>
                  row.replayedAt ? (
                    <Tag>{s('deadLetters.replayedBy', { at: new Date(row.replayedAt).toLocaleString(), name: row.replayedBy?.displayName ?? '' })}</Tag>
                  ) : (
                    <Tag>{s('deadLetters.notReplayed')}</Tag>
                  ),
              },
            ]}
          />
          <ListFooter
            total={shown ? s('deadLetters.total', { count: shown.deadLetters.totalCount }) : null}
            hasPrevious={list.hasPrevious}
            hasNext={!!shown?.deadLetters.pageInfo.hasNextPage}
            onPage={(forward) => page(forward, shown?.deadLetters.pageInfo.endCursor)}
          />
        </>
      )}
    </Space>
  );
}
