import { CalendarOutlined, EditOutlined, EnvironmentOutlined, PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Descriptions, Flex, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { firstFetchPolicy } from '../../api/prefetch';
import { can } from '../../api/session';
import { minutes } from '../../components/duration';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { TaskList } from '../tasks/TaskList';
import { stageLabel } from './labels';
import { NetworkGraph } from './NetworkGraph';
import { AccountQuery, ClaimFromPoolMutation, StartCallMutation } from './operations';
import { strings } from './strings';

// the dialogs' code (forms, date pickers) loads when one is first opened, not with the page
const LogActivityModal = lazy(() => import('./LogActivityModal').then((m) => ({ default: m.LogActivityModal })));
const TaskFormModal = lazy(() => import('../tasks/TaskFormModal').then((m) => ({ default: m.TaskFormModal })));

const when = (iso: string) => new Date(iso).toLocaleString();
// a phone shown in full can be dialled; a masked one (138****8000) cannot
const dialable = (phone: string | null | undefined) => Boolean(phone && !phone.includes('*'));

/** Account 360: details (masked fields come masked from the API), contacts, timeline, tasks,
 * relationship network, lifecycle history, opportunities and receivables (`?tab=` opens one, as the call log
 * links a call's activity or task); a call or visit is logged
 * and a task planned from here, and a contact is called through the phone system (the call comes
 * back as a call activity with its recording, so the page refreshes for a while after a click). */
export default function AccountPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // prefetched with the page's code on a page load (routes.ts): read once from the cache
  const fetchPolicy = useMemo(() => firstFetchPolicy(AccountQuery, { id: id! }), [id]);
  const { data, error, refetch, startPolling, stopPolling } = useQuery(AccountQuery, {
    variables: { id: id! },
    fetchPolicy,
  });
  const [claim, claiming] = useMutation(ClaimFromPoolMutation);
  const [call, calling] = useMutation(StartCallMutation);
  const [logging, setLogging] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const [dialogs, setDialogs] = useState(false); // whether one was opened: from then on they stay mounted
  const account = data?.account;

  function logActivity(kind: string) {
    setDialogs(true);
    setLogging(kind);
  }

  function planTask() {
    setDialogs(true);
    setPlanning(true);
  }

  async function claimIt() {
    try {
      await claim({ variables: { id: id! } });
      message.success(t('accounts.claimed'));
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  async function callContact(contactId: string) {
    try {
      await call({ variables: { contactId } });
      message.success(s('call.started'));
      startPolling(2000);
      window.setTimeout(stopPolling, 60000);
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  if (!account && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!account) return <Skeleton active />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {account.name} <Tag>{stageLabel(t, account.lifecycleStage)}</Tag>
          {account.inPool && <Tag color="orange">{t('accounts.inPool')}</Tag>}
        </Typography.Title>
        <Flex wrap gap={8}>
          {account.inPool ? (
            can('customer:pool:claim') && (
              <Button type="primary" loading={claiming.loading} onClick={() => void claimIt()}>
                {t('accounts.claim')}
              </Button>
            )
          ) : (
            <>
              {can('customer:activity:create') && (
                <>
                  <Button size="large" icon={<PhoneOutlined />} onClick={() => logActivity('call')}>
                    {t('accounts.logCall')}
                  </Button>
                  <Button size="large" icon={<EnvironmentOutlined />} onClick={() => logActivity('visit')}>
                    {t('accounts.logVisit')}
                  </Button>
                </>
              )}
              {can('customer:task:create') && (
                <Button size="large" icon={<CalendarOutlined />} onClick={planTask}>
                  {t('tasks.new')}
                </Button>
              )}
            </>
          )}
          <Button size="large" icon={<EditOutlined />} onClick={() => navigate(`/accounts/${account.id}/edit`)}>
            {t('form.edit')}
          </Button>
        </Flex>
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
          defaultActiveKey={params.get('tab') ?? undefined}
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
                    ...(can('automation:call:create')
                      ? [
                          {
                            title: '',
                            key: 'call',
                            render: (_: unknown, c: { id: string; name: string; phone?: string | null }) =>
                              dialable(c.phone) && (
                                <Button
                                  size="small"
                                  icon={<PhoneOutlined />}
                                  aria-label={s('call.startFor', { name: c.name })}
                                  loading={calling.loading}
                                  onClick={() => void callContact(c.id)}
                                >
                                  {s('call.start')}
                                </Button>
                              ),
                          },
                        ]
                      : []),
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
                        {(node.link || node.durationSeconds != null) && (
                          <Space size="small" wrap>
                            {node.durationSeconds != null && (
                              <span>{s('call.duration', { duration: minutes(node.durationSeconds) })}</span>
                            )}
                            {node.link && (
                              <Typography.Link href={node.link} target="_blank" rel="noopener noreferrer">
                                {node.kind === 'call' ? s('call.recording') : node.link}
                              </Typography.Link>
                            )}
                          </Space>
                        )}
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
              label: `${t('accounts.tasks')} (${account.tasks.totalCount})`,
              children: <TaskList tasks={account.tasks.edges.map((e) => e.node)} empty={t('dash.none')} />,
            },
            {
              key: 'network',
              label: t('accounts.network'),
              children: <NetworkGraph id={account.id} name={account.name} />,
            },
            {
              key: 'lifecycle',
              label: t('accounts.lifecycle'),
              children: (
                <Timeline
                  items={account.lifecycleHistory.map((change) => ({
                    key: change.at + change.toStage,
                    children: (
                      <>
                        <strong>
                          {change.fromStage ? `${stageLabel(t, change.fromStage)} → ` : ''}
                          {stageLabel(t, change.toStage)}
                        </strong>{' '}
                        {change.automatic && <Tag>{t('accounts.automatic')}</Tag>}
                        <div>{change.reason}</div>
                        <Typography.Text type="secondary">
                          {when(change.at)}
                          {change.actor?.displayName && ` · ${change.actor.displayName}`}
                        </Typography.Text>
                      </>
                    ),
                  }))}
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
      {dialogs && (
        <Suspense fallback={null}>
          <LogActivityModal accountId={account.id} kind={logging} onClose={() => setLogging(null)} />
          <TaskFormModal open={planning} accountId={account.id} onClose={() => setPlanning(false)} onCreated={() => void refetch()} />
        </Suspense>
      )}
    </Space>
  );
}
