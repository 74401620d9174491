import { CalendarOutlined, DeleteOutlined, EditOutlined, EnvironmentOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography, type TableColumnsType, type TabsProps } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { firstFetchPolicy } from '../../api/prefetch';
import { can } from '../../api/session';
import { minutes } from '../../components/duration';
import { ErrorState } from '../../components/ErrorState';
import type { ContactRowFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { money, opportunityStatusLabel } from '../opportunities/labels';
import { TaskList } from '../tasks/TaskList';
import { CONTACT_ROLES, kindLabel, stageLabel } from './labels';
import { NetworkGraph } from './NetworkGraph';
import { AccountQuery, accountVariables, ClaimFromPoolMutation, DeleteContactMutation, StartCallMutation } from './operations';
import { strings } from './strings';

// the dialogs' code (forms, date pickers) loads when one is first opened, not with the page
const LogActivityModal = lazy(() => import('./LogActivityModal').then((m) => ({ default: m.LogActivityModal })));
const TaskFormModal = lazy(() => import('../tasks/TaskFormModal').then((m) => ({ default: m.TaskFormModal })));
const ContactFormDialog = lazy(() => import('./ContactFormDialog').then((m) => ({ default: m.ContactFormDialog })));

const when = (iso: string) => new Date(iso).toLocaleString();
// a phone shown in full can be dialled; a masked one (138****8000) cannot
const dialable = (phone: string | null | undefined) => Boolean(phone && !phone.includes('*'));

/** Account 360: details (masked fields come masked from the API), contacts, timeline, tasks,
 * relationship network, lifecycle history, opportunities and receivables (`?tab=` opens one, as the call log
 * links a call's activity or task), each only for a caller who may read it; a contact is added, edited or deleted, a call or visit is logged
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
  const variables = useMemo(() => accountVariables(id!), [id]);
  const fetchPolicy = useMemo(() => firstFetchPolicy(AccountQuery, variables), [variables]);
  const { data, error, refetch, startPolling, stopPolling } = useQuery(AccountQuery, { variables, fetchPolicy });
  const [claim, claiming] = useMutation(ClaimFromPoolMutation);
  const [call, calling] = useMutation(StartCallMutation);
  const [removeContact] = useMutation(DeleteContactMutation, { refetchQueries: [AccountQuery], awaitRefetchQueries: true });
  const [logging, setLogging] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  // the contact being edited, {} for a new one, null when the dialog is closed
  const [editing, setEditing] = useState<{ contact?: ContactRowFragment } | null>(null);
  const [dialogs, setDialogs] = useState(false); // whether one was opened: from then on they stay mounted
  const account = data?.account;

  function logActivity(kind: string) {
    setDialogs(true);
    setLogging(kind);
  }

  function editContact(contact?: ContactRowFragment) {
    setDialogs(true);
    setEditing({ contact });
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

  async function deleteContact(contactId: string) {
    try {
      await removeContact({ variables: { id: contactId } });
      message.success(s('contacts.deleted'));
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  if (!account && error) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!account) return <Skeleton active />;

  const { contacts, activities, tasks, opportunities } = account;
  const contactColumns: TableColumnsType<ContactRowFragment> = [
    { title: s('contacts.name'), dataIndex: 'name' },
    { title: t('accounts.contactTitle'), dataIndex: 'title' },
    {
      title: s('contacts.role'),
      dataIndex: 'role',
      render: (role: string) => ((CONTACT_ROLES as readonly string[]).includes(role) ? s(`contactRole.${role as 'other'}`) : role),
    },
    { title: t('accounts.phone'), dataIndex: 'phone' },
    { title: t('accounts.email'), dataIndex: 'email', responsive: ['md'] },
  ];
  if (can('automation:call:create') || can('customer:contact:update') || can('customer:contact:delete')) {
    contactColumns.push({
      title: '',
      key: 'actions',
      render: (_, c) => (
        <Space size="small">
          {can('automation:call:create') && dialable(c.phone) && (
            <Button
              size="small"
              icon={<PhoneOutlined />}
              aria-label={s('call.startFor', { name: c.name })}
              loading={calling.loading}
              onClick={() => void callContact(c.id)}
            >
              {s('call.start')}
            </Button>
          )}
          {can('customer:contact:update') && (
            <Button size="small" icon={<EditOutlined />} aria-label={s('contacts.editFor', { name: c.name })} onClick={() => editContact(c)}>
              {t('form.edit')}
            </Button>
          )}
          {can('customer:contact:delete') && (
            <Popconfirm
              title={s('contacts.confirmDelete', { name: c.name })}
              okText={t('form.confirm')}
              cancelText={t('form.cancel')}
              onConfirm={() => deleteContact(c.id)}
            >
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={s('contacts.deleteFor', { name: c.name })}>
                {s('contacts.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }
  const tabs: NonNullable<TabsProps['items']> = [];
  if (contacts)
    tabs.push({
      key: 'contacts',
      label: t('accounts.contacts'),
      children: (
        <Space direction="vertical" size="small" style={{ width: '100%' }}>
          {can('customer:contact:create') && !account.inPool && (
            <Button icon={<PlusOutlined />} onClick={() => editContact()}>
              {s('contacts.new')}
            </Button>
          )}
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={contacts.edges.map((e) => e.node)}
            columns={contactColumns}
          />
        </Space>
      ),
    });
  if (activities)
    tabs.push({
      key: 'activities',
      label: t('accounts.activities'),
      children: (
        <Timeline
          items={activities.edges.map(({ node }) => ({
            key: node.id,
            children: (
              <>
                <strong>{node.subject}</strong> <Tag>{kindLabel(t, node.kind)}</Tag>
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
    });
  if (tasks)
    tabs.push({
      key: 'tasks',
      label: `${t('accounts.tasks')} (${tasks.totalCount})`,
      children: <TaskList tasks={tasks.edges.map((e) => e.node)} empty={t('dash.none')} />,
    });
  tabs.push(
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
  );
  if (opportunities)
    tabs.push({
      key: 'opportunities',
      label: t('accounts.opportunities'),
      children: (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={opportunities.edges.map((e) => e.node)}
          columns={[
            { title: t('opps.name'), key: 'name', render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.name}</Link> },
            { title: t('opps.stage'), key: 'stage', render: (_, o) => o.stage.name },
            { title: t('opps.amount'), key: 'amount', align: 'right', render: (_, o) => money(o.amount, o.currency) },
            { title: t('opps.status'), key: 'status', render: (_, o) => <Tag>{opportunityStatusLabel(t, o.status)}</Tag> },
          ]}
        />
      ),
    });

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
          {can('customer:account:update') && (
            <Button size="large" icon={<EditOutlined />} onClick={() => navigate(`/accounts/${account.id}/edit`)}>
              {t('form.edit')}
            </Button>
          )}
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
          {account.receivables && (
            <Descriptions.Item label={t('accounts.receivables')}>
              {t('accounts.outstanding')} {money(account.receivables.outstanding, account.receivables.currency)} ·{' '}
              {t('accounts.overdue')} {money(account.receivables.overdue, account.receivables.currency)}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card>
        <Tabs defaultActiveKey={tabs.some((tab) => tab.key === params.get('tab')) ? params.get('tab')! : undefined} items={tabs} />
      </Card>
      {dialogs && (
        <Suspense fallback={null}>
          <LogActivityModal accountId={account.id} kind={logging} onClose={() => setLogging(null)} />
          <TaskFormModal open={planning} accountId={account.id} onClose={() => setPlanning(false)} onCreated={() => void refetch()} />
          <ContactFormDialog
            key={editing?.contact?.id ?? 'new'}
            accountId={account.id}
            contact={editing?.contact ?? null}
            open={editing !== null}
            onClose={() => setEditing(null)}
          />
        </Suspense>
      )}
    </Space>
  );
}
