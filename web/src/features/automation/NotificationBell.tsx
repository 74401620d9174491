import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Badge, Button, Empty, Flex, List, Popover, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { describe } from '../../api/errors';
import { useI18n, useStrings } from '../../i18n';
import { BellQuery, MarkReadMutation } from './operations';
import { followNotifications } from './stream';
import { TONE } from '../tickets/labels';
import { strings } from './strings';

/** The header's bell: the unread count, the latest notifications linking their records, "mark all
 * read", kept current by the notification stream. */
export function NotificationBell() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const { data, refetch } = useQuery(BellQuery, { fetchPolicy: 'cache-and-network' });
  const [markRead, marking] = useMutation(MarkReadMutation, { refetchQueries: ['NotificationBell', 'Notifications'] });
  const unread = data?.unreadNotificationCount ?? 0;

  useEffect(() => followNotifications(() => void refetch(), () => void refetch()), [refetch]);

  async function markAll() {
    try {
      await markRead({ variables: { ids: null } });
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  const latest = data?.notifications.edges.map((e) => e.node) ?? [];
  const content = (
    <Flex vertical gap={8} style={{ width: 'min(340px, calc(100vw - 32px))' }}>
      <Flex justify="space-between" align="center">
        <Typography.Text strong>{s('bell.title')}</Typography.Text>
        <Button size="small" disabled={!unread} loading={marking.loading} onClick={() => void markAll()}>
          {s('bell.markAll')}
        </Button>
      </Flex>
      {latest.length ? (
        <List
          size="small"
          dataSource={latest}
          style={{ maxHeight: 360, overflowY: 'auto' }}
          renderItem={(n) => (
            <List.Item style={{ display: 'block', paddingInline: 0 }}>
              <div style={{ fontWeight: n.read ? 400 : 600 }}>
                {n.link?.startsWith('/') ? (
                  <Link to={n.link} onClick={() => setOpen(false)}>
                    {n.title}
                  </Link>
                ) : (
                  n.title
                )}
                {!n.read && (
                  <Tag color={TONE.blue} style={{ marginInlineStart: 6 }}>
                    {s('bell.unread')}
                  </Tag>
                )}
              </div>
              {n.body && <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>{n.body}</Typography.Text>}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {new Date(n.createdAt).toLocaleString()}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={s('bell.none')} />
      )}
      <Link to="/notifications" onClick={() => setOpen(false)}>
        {s('bell.all')}
      </Link>
    </Flex>
  );

  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} content={content}>
      <Button type="text" aria-haspopup="dialog" aria-expanded={open} aria-label={s('bell.label', { count: unread })}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
