import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Checkbox, Flex, List, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { describe } from '../../api/errors';
import { ListFooter } from '../../components/ListFooter';
import { ErrorState } from '../../components/ErrorState';
import { useListParams } from '../../components/useListParams';
import type { NotificationKind, NotificationPreferenceInput } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { MarkReadMutation, NotificationsQuery, SavePreferencesMutation } from './operations';
import { TONE } from '../tickets/labels';
import { strings } from './strings';

const KINDS: NotificationKind[] = ['WORKFLOW', 'WEBHOOK', 'SYSTEM'];
const CHANNELS = ['inApp', 'email', 'digest'] as const;

/** The caller's inbox, all or unread, paged in the URL; each marked read on its own or all at once; and
 * which kinds arrive in the inbox, by mail or in the daily digest. */
export default function NotificationsPage() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const list = useListParams(['unread']);
  const unreadOnly = list.filter.unread === '1';
  const { data, previousData, loading, error, refetch } = useQuery(NotificationsQuery, { variables: { unreadOnly, after: list.after } });
  const [markRead, marking] = useMutation(MarkReadMutation, { refetchQueries: ['NotificationBell', 'Notifications'] });
  const shown = data ?? previousData;

  async function mark(ids: string[] | null) {
    try {
      const count = await markRead({ variables: { ids } });
      void message.success(s('notifications.marked', { count: count.data?.markNotificationsRead ?? 0 }));
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('notifications.title')}
      </Typography.Title>
      <Flex justify="space-between" wrap gap={8}>
        <Segmented
          aria-label={s('notifications.show')}
          value={unreadOnly ? '1' : ''}
          onChange={(value) => list.set('unread', value ? '1' : null)}
          options={[
            { value: '', label: s('notifications.all') },
            { value: '1', label: s('notifications.unreadOnly') },
          ]}
        />
        <Button loading={marking.loading} onClick={() => void mark(null)}>
          {s('bell.markAll')}
        </Button>
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {!(error && !shown) && (
        <>
          <List
            bordered
            loading={loading}
            dataSource={shown?.notifications.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: s('bell.none') }}
            renderItem={(n) => (
              <List.Item
                actions={n.read ? [] : [<Button key="read" type="link" onClick={() => void mark([n.id])}>{s('notifications.markRead')}</Button>]}
                style={{ flexWrap: 'wrap' }}
              >
                <List.Item.Meta
                  title={
                    <span style={{ fontWeight: n.read ? 400 : 600 }}>
                      {n.link?.startsWith('/') ? <Link to={n.link}>{n.title}</Link> : n.title}
                      <Tag style={{ marginInlineStart: 8 }}>{s(`kind.${n.kind}`)}</Tag>
                      {!n.read && <Tag color={TONE.blue}>{s('bell.unread')}</Tag>}
                    </span>
                  }
                  description={
                    <>
                      <div style={{ wordBreak: 'break-word' }}>{n.body}</div>
                      <Typography.Text type="secondary">{new Date(n.createdAt).toLocaleString()}</Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
          <ListFooter
            total={shown ? s('notifications.total', { count: shown.notifications.totalCount }) : null}
            hasPrevious={list.hasPrevious}
            hasNext={!!shown?.notifications.pageInfo.hasNextPage}
            onPage={(forward) => list.page(forward, shown?.notifications.pageInfo.endCursor)}
          />
        </>
      )}
      {shown && <Preferences key={JSON.stringify(shown.notificationPreferences)} saved={shown.notificationPreferences} />}
    </Space>
  );
}

function Preferences({ saved }: { saved: NotificationPreferenceInput[] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const [values, setValues] = useState(() => KINDS.map((kind) => saved.find((p) => p.kind === kind) ?? { kind, inApp: true, email: false, digest: false }));
  const [save, saving] = useMutation(SavePreferencesMutation, { refetchQueries: ['Notifications'] });
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit() {
    setResult(null);
    try {
      await save({ variables: { input: values.map(({ kind, inApp, email, digest }) => ({ kind, inApp, email, digest })) } });
      setResult({ ok: true, text: t('form.saved') });
    } catch (failure) {
      setResult({ ok: false, text: describe(failure, t) });
    }
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('prefs.title')}</h2>}>
      <Table
        rowKey="kind"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={values}
        columns={[
          { title: s('prefs.kind'), dataIndex: 'kind', render: (kind: NotificationKind) => s(`kind.${kind}`) },
          ...CHANNELS.map((channel) => ({
            title: s(`prefs.${channel}`),
            key: channel,
            render: (_: unknown, row: NotificationPreferenceInput) => (
              <Checkbox
                aria-label={`${s(`kind.${row.kind}`)} · ${s(`prefs.${channel}`)}`}
                checked={!!row[channel]}
                onChange={(e) => setValues(values.map((v) => (v.kind === row.kind ? { ...v, [channel]: e.target.checked } : v)))}
              />
            ),
          })),
        ]}
      />
      <Flex gap={8} align="center" wrap style={{ marginTop: 12 }}>
        <Button type="primary" loading={saving.loading} onClick={() => void submit()}>
          {t('form.save')}
        </Button>
        {result && <Alert showIcon role={result.ok ? 'status' : 'alert'} type={result.ok ? 'success' : 'error'} message={result.text} />}
      </Flex>
    </Card>
  );
}
