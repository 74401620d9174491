import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, DatePicker, Empty, Flex, Form, List, Popconfirm, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { can, claims } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import type { ApprovalDelegationFieldsFragment as Delegation } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { DelegateApprovalsMutation, EndApprovalDelegationMutation, MyApprovalDelegationsQuery } from './operations';
import { strings } from './strings';

const FORMAT = 'YYYY-MM-DD HH:mm';
const PICKER = { showTime: { format: 'HH:mm' }, format: FORMAT, style: { width: '100%' } } as const;
// dark enough for white text at the tag's size (antd's light green tag falls short of 4.5:1)
const COLORS = { active: '#237804', upcoming: '#0958d9', ended: undefined };

type Status = keyof typeof COLORS;

function statusOf(d: Delegation, ended: boolean): Status {
  const now = Date.now();
  if (ended || Date.parse(d.endsAt) <= now) return 'ended';
  return Date.parse(d.startsAt) > now ? 'upcoming' : 'active';
}

/** The caller's delegations not yet over, each to end early; and a new one while away. The API forgets one
 * once over, so those ended here stay listed as ended until the page is left. */
export function DelegationsCard() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, loading, error, refetch } = useQuery(MyApprovalDelegationsQuery, { fetchPolicy: 'cache-and-network' });
  const [endDelegation] = useMutation(EndApprovalDelegationMutation);
  const [ended, setEnded] = useState<Delegation[]>([]);
  const [delegating, setDelegating] = useState(false);
  const endedIds = new Set(ended.map((d) => d.id));
  const shown = [...(data?.myApprovalDelegations ?? []).filter((d) => !endedIds.has(d.id)), ...ended];

  async function end(d: Delegation) {
    try {
      const done = await endDelegation({ variables: { id: d.id } });
      const row = done.data?.endApprovalDelegation ?? d;
      setEnded((before) => [...before.filter((e) => e.id !== row.id), row]);
      message.success(s('delegation.ended'));
    } catch (failure) {
      message.error(describe(failure, t));
    }
    await refetch();
  }

  return (
    <Card
      size="small"
      role="region"
      aria-labelledby="delegation-title"
      title={
        <Typography.Title id="delegation-title" level={2} style={{ fontSize: 16, margin: 0 }}>
          {s('delegation.title')}
        </Typography.Title>
      }
    >
      <Flex vertical gap={8}>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text type="secondary">{s('delegation.hint')}</Typography.Text>
          {can('identity:user:read') && <Button onClick={() => setDelegating(true)}>{s('delegation.new')}</Button>}
        </Flex>
        {!data && error ? (
          <ErrorState error={error} retry={() => void refetch()} />
        ) : (
          <List
            size="small"
            loading={loading && !data}
            dataSource={shown}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s('delegation.none')} /> }}
            renderItem={(d: Delegation) => {
              const status = statusOf(d, endedIds.has(d.id));
              const name = d.delegate.displayName;
              return (
                <List.Item key={d.id} style={{ display: 'block', paddingInline: 0 }}>
                  <Flex role="group" aria-label={name} justify="space-between" align="center" wrap gap={8}>
                    <Flex vertical gap={2}>
                      <span>
                        <Typography.Text strong>{name}</Typography.Text> <Tag color={COLORS[status]}>{s(`delegation.status.${status}`)}</Tag>
                      </span>
                      <Typography.Text>
                        {s('delegation.window', { from: dayjs(d.startsAt).format(FORMAT), until: dayjs(d.endsAt).format(FORMAT) })}
                      </Typography.Text>
                    </Flex>
                    {status !== 'ended' && (
                      <Popconfirm
                        title={s('delegation.confirmEnd', { name })}
                        okText={t('form.confirm')}
                        cancelText={t('form.cancel')}
                        onConfirm={() => end(d)}
                      >
                        <Button danger>{s('delegation.end')}</Button>
                      </Popconfirm>
                    )}
                  </Flex>
                </List.Item>
              );
            }}
          />
        )}
      </Flex>
      {delegating && <DelegateDialog onClose={() => setDelegating(false)} />}
    </Card>
  );
}

interface Values {
  toUserId?: string;
  from?: Dayjs | null;
  until?: Dayjs | null;
}

/** Whom to delegate to and for when; the API's refusals land at their fields, an overlapping one above. */
function DelegateDialog({ onClose }: { onClose: () => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const users = useQuery(ActiveUsersQuery);
  const [delegate] = useMutation(DelegateApprovalsMutation, {
    refetchQueries: ['MyApprovalDelegations'],
    awaitRefetchQueries: true,
  });
  const me = claims()?.sub;
  const past = (day: Dayjs) => day.isBefore(dayjs(), 'day');
  const required = (field: string) => [{ required: true, message: t('form.required', { field }) }];
  return (
    <FormDialog<Values>
      title={s('delegation.new')}
      okText={s('delegation.submit')}
      open
      onClose={onClose}
      initialValues={{ from: null, until: null }}
      run={async ({ toUserId, from, until }) => {
        const done = await delegate({
          variables: { toUserId: toUserId!, until: until!.toISOString(), from: from?.toISOString() ?? null },
        });
        message.success(s('delegation.made', { name: done.data?.delegateApprovals.delegate.displayName ?? '' }));
      }}
    >
      {() => (
        <>
          <Form.Item name="toUserId" label={s('delegation.delegate')} rules={required(s('delegation.delegate'))}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={users.loading}
              options={userOptions(users.data).filter((u) => u.value !== me)}
            />
          </Form.Item>
          <Form.Item name="from" label={s('delegation.from')} extra={s('delegation.fromHint')}>
            <DatePicker {...PICKER} placeholder={s('delegation.now')} disabledDate={past} />
          </Form.Item>
          <Form.Item name="until" label={s('delegation.until')} rules={required(s('delegation.until'))}>
            <DatePicker {...PICKER} placeholder={FORMAT} disabledDate={past} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
