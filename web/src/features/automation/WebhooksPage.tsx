import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Flex, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { ListFooter } from '../../components/ListFooter';
import { usePollingWhile } from '../../components/usePollingWhile';
import { useListParams } from '../../components/useListParams';
import type { WebhookDeliveryStatus, WebhookSubscriptionsQuery } from '../../gql/graphql';
import { EVENTS } from '../../gql-events';
import { useI18n, useStrings } from '../../i18n';
import { ConditionList } from './ConditionList';
import { toApi, type Condition } from './definition';
import { ReplayDeliveryMutation, SaveWebhookMutation, WebhookDeliveriesQuery, WebhookEventTypesQuery, WebhookSubscriptionsQuery as SubscriptionsQuery } from './operations';
import { TONE } from '../tickets/labels';
import { strings } from './strings';

type Subscription = WebhookSubscriptionsQuery['webhookSubscriptions'][number];
type Values = { name: string; url: string; eventTypes: string[]; filters: Condition[]; enabled: boolean };
const STATUSES: WebhookDeliveryStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED'];
const COLORS: Record<string, string> = { PENDING: TONE.gold, SUCCEEDED: TONE.green, FAILED: TONE.red };

/** Webhook subscriptions (a new one's secret shown once), and a subscription's deliveries with their
 * attempts, answers and next try, each finished one sent again on request. */
export default function WebhooksPage() {
  const s = useStrings(strings);
  const list = useListParams(['subscription', 'status']);
  const { data, loading, error, refetch } = useQuery(SubscriptionsQuery);
  const [editing, setEditing] = useState<Subscription | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const selected = data?.webhookSubscriptions.find((sub) => sub.id === list.filter.subscription) ?? null;
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('webhooks.title')}
        </Typography.Title>
        {can('automation:webhook:create') && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {s('webhooks.new')}
          </Button>
        )}
      </Flex>
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.webhookSubscriptions ?? []}
        locale={{ emptyText: s('webhooks.none') }}
        columns={[
          { title: s('webhook.name'), dataIndex: 'name' },
          { title: s('webhook.url'), dataIndex: 'url', responsive: ['md'], render: (url: string) => <span style={{ wordBreak: 'break-all' }}>{url}</span> },
          { title: s('webhook.eventTypes'), dataIndex: 'eventTypes', render: (types: string[]) => <Flex wrap gap={4}>{types.map((type) => <Tag key={type}>{type}</Tag>)}</Flex> },
          {
            title: s('webhook.enabled'),
            key: 'enabled',
            render: (_, sub) => (sub.enabled ? <Tag color={TONE.green}>{s('webhook.on')}</Tag> : <Tag color={TONE.red}>{s('webhook.off')}</Tag>),
          },
          { title: s('webhook.failures'), dataIndex: 'failuresInRow', responsive: ['md'] },
          {
            title: s('webhook.actions'),
            key: 'actions',
            render: (_, sub) => (
              <Flex wrap gap={4}>
                <Button size="small" onClick={() => list.update((next) => next.set('subscription', sub.id))} aria-pressed={sub.id === selected?.id}>
                  {s('webhook.deliveries')}
                </Button>
                {can('automation:webhook:update') && (
                  <Button size="small" onClick={() => setEditing(sub)} aria-label={`${s('webhook.edit')} ${sub.name}`}>
                    {s('webhook.edit')}
                  </Button>
                )}
              </Flex>
            ),
          },
        ]}
      />
      {editing && <SubscriptionDialog subscription={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onCreated={setSecret} />}
      <Modal open={!!secret} title={s('webhook.secretTitle')} onOk={() => setSecret(null)} onCancel={() => setSecret(null)} cancelButtonProps={{ style: { display: 'none' } }}>
        <Typography.Paragraph>{s('webhook.secretOnce')}</Typography.Paragraph>
        <Typography.Paragraph copyable code style={{ wordBreak: 'break-all' }}>
          {secret}
        </Typography.Paragraph>
      </Modal>
      {selected && <Deliveries subscription={selected} />}
    </Space>
  );
}

function SubscriptionDialog({ subscription, onClose, onCreated }: { subscription: Subscription | null; onClose: () => void; onCreated: (secret: string) => void }) {
  const s = useStrings(strings);
  const offered = useQuery(WebhookEventTypesQuery).data?.webhookEventTypes ?? [];
  const [save] = useMutation(SaveWebhookMutation, { refetchQueries: ['WebhookSubscriptions'] });
  const types = offered.map((type) => ({ value: type, label: type }));
  const fields = [...new Set(EVENTS.filter((e) => offered.includes(e.type)).flatMap((e) => Object.keys(e.sample)))].sort().map((f) => `event.${f}`);
  const initial: Values = {
    name: subscription?.name ?? '',
    url: subscription?.url ?? '',
    eventTypes: subscription?.eventTypes ?? [],
    filters: (subscription?.filters as Condition[]) ?? [],
    enabled: subscription?.enabled ?? true,
  };

  async function run(values: Values) {
    const filters = toApi({ trigger: { kind: 'event', conditions: values.filters ?? [] }, steps: [] }).trigger.conditions;
    const input = { name: values.name, url: values.url, eventTypes: values.eventTypes ?? [], filters, enabled: values.enabled };
    const saved = await save({ variables: { input, id: subscription?.id ?? null } });
    const secret = saved.data?.saveWebhookSubscription.secret;
    if (!subscription && secret) onCreated(secret);
  }

  return (
    <FormDialog<Values> open title={subscription ? s('webhook.edit') : s('webhooks.new')} okText={s('webhook.save')} onClose={onClose} initialValues={initial} run={run}>
      {() => (
        <>
          <Form.Item name="name" label={s('webhook.name')}>
            <Input />
          </Form.Item>
          <Form.Item name="url" label={s('webhook.url')}>
            <Input placeholder="https://" />
          </Form.Item>
          <Form.Item name="eventTypes" label={s('webhook.eventTypes')}>
            <Select mode="multiple" showSearch options={types} />
          </Form.Item>
          <Form.Item label={s('webhook.filters')} style={{ marginBottom: 8 }}>
            <ConditionList name={['filters']} path={['filters']} fields={fields} />
          </Form.Item>
          <Form.Item name="enabled" label={s('webhook.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

function Deliveries({ subscription }: { subscription: Subscription }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const list = useListParams(['subscription', 'status']);
  const status = list.filter.status as WebhookDeliveryStatus | null;
  const deliveries = useQuery(WebhookDeliveriesQuery, {
    variables: { subscriptionId: subscription.id, status, after: list.after },
  });
  const { data, previousData, loading, error, refetch } = deliveries;
  // while a delivery waits for its (next) try, its outcome is asked again each second
  usePollingWhile(!!data?.webhookDeliveries.edges.some((e) => e.node.status === 'PENDING'), deliveries);
  const [replay] = useMutation(ReplayDeliveryMutation);
  const [replaying, setReplaying] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = data ?? previousData;

  async function replayIt(id: string) {
    setResult(null);
    setReplaying(id);
    try {
      await replay({ variables: { id } });
      setResult({ ok: true, text: s('delivery.replayed') });
    } catch (failure) {
      setResult({ ok: false, text: describe(failure, t) });
    } finally {
      setReplaying(null);
    }
    await refetch();
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('delivery.title', { name: subscription.name })}</h2>}>
      <Flex vertical gap={12}>
        <Select
          allowClear
          aria-label={s('delivery.status')}
          placeholder={s('delivery.status')}
          value={status}
          onChange={(value?: string) => list.set('status', value ?? null)}
          options={STATUSES.map((v) => ({ value: v, label: s(`delivery.${v}`) }))}
          style={{ maxWidth: 200 }}
        />
        {result && <Alert showIcon role={result.ok ? 'status' : 'alert'} type={result.ok ? 'success' : 'error'} message={result.text} />}
        {error && <ErrorState error={error} retry={() => void refetch()} />}
        <Table
          rowKey="id"
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={shown?.webhookDeliveries.edges.map((e) => e.node) ?? []}
          locale={{ emptyText: s('delivery.none') }}
          columns={[
            { title: s('delivery.created'), dataIndex: 'createdAt', render: (at: string) => new Date(at).toLocaleString() },
            { title: s('delivery.event'), dataIndex: 'eventType' },
            { title: s('delivery.status'), dataIndex: 'status', render: (v: WebhookDeliveryStatus) => <Tag color={COLORS[v]}>{s(`delivery.${v}`)}</Tag> },
            { title: s('delivery.attempts'), dataIndex: 'attempts' },
            { title: s('delivery.code'), dataIndex: 'lastStatusCode', render: (code: number | null) => code ?? '—' },
            {
              title: s('delivery.next'),
              key: 'next',
              responsive: ['md'],
              render: (_, d) => (d.status === 'PENDING' ? new Date(d.nextAttemptAt).toLocaleString() : '—'),
            },
            { title: s('delivery.error'), dataIndex: 'lastError', responsive: ['lg'], render: (v: string | null) => v && <span style={{ wordBreak: 'break-word' }}>{v}</span> },
            { title: s('delivery.replayOf'), dataIndex: 'replayOf', responsive: ['lg'], render: (v: string | null) => (v ? <Tag>{s('delivery.isReplay')}</Tag> : '') },
            {
              title: s('webhook.actions'),
              key: 'replay',
              render: (_, d) =>
                can('automation:webhook:update') && d.status !== 'PENDING' ? (
                  <Button size="small" loading={replaying === d.id} onClick={() => void replayIt(d.id)} aria-label={`${s('delivery.replay')} ${d.eventType} ${new Date(d.createdAt).toLocaleString()}`}>
                    {s('delivery.replay')}
                  </Button>
                ) : null,
            },
          ]}
        />
        <ListFooter
          total={shown ? s('delivery.total', { count: shown.webhookDeliveries.totalCount }) : null}
          hasPrevious={list.hasPrevious}
          hasNext={!!shown?.webhookDeliveries.pageInfo.hasNextPage}
          onPage={(forward) => list.page(forward, shown?.webhookDeliveries.pageInfo.endCursor)}
        />
      </Flex>
    </Card>
  );
}
