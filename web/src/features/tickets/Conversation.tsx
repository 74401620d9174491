import { PaperClipOutlined } from '@ant-design/icons';
import { App, Card, Empty, Flex, Tag, Typography } from 'antd';
import { downloadFile } from '../../components/exports';
import { useStrings } from '../../i18n';
import type { TicketDetailFragment } from '../../gql/graphql';
import { TONE } from './labels';
import { strings } from './strings';

type Entry = TicketDetailFragment['entries'][number];

const LOOK = {
  customer: { background: '#f0f5ff', borderLeft: '4px solid #2f54eb' },
  reply: { background: '#fff', borderLeft: '4px solid #389e0d' },
  note: { background: '#fffbe6', borderLeft: '4px solid #ad6800' },
};

/** The customer's messages, the public replies and the internal notes, oldest first, each kind set apart. */
export function Conversation({ entries, contact }: { entries: Entry[]; contact?: string }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  if (!entries.length) return <Empty description={s('noEntries')} />;
  return (
    <Flex vertical gap={8} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {entries.map((entry) => {
        const kind = entry.fromCustomer ? 'customer' : entry.public ? 'reply' : 'note';
        const who = entry.fromCustomer ? contact : entry.author?.displayName;
        return (
          <li key={entry.id} aria-label={s(`entry.${kind}`)}>
            <Card size="small" style={LOOK[kind]}>
              <Flex justify="space-between" wrap gap={4}>
                <span>
                  <Tag color={kind === 'note' ? TONE.gold : kind === 'customer' ? TONE.indigo : TONE.green}>{s(`entry.${kind}`)}</Tag>
                  {who && <Typography.Text strong>{who}</Typography.Text>}
                </span>
                <Typography.Text type="secondary">
                  {new Date(entry.at).toLocaleString()}
                  {entry.mailStatus && ` · ${s(`mail.${entry.mailStatus}`)}`}
                </Typography.Text>
              </Flex>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: '8px 0 0' }}>
                {entry.body}
              </Typography.Paragraph>
              {entry.attachments.length > 0 && (
                <ul aria-label={s('entry.attachments')} style={{ margin: '4px 0 0', paddingLeft: 0, listStyle: 'none' }}>
                  {entry.attachments.map((file) => (
                    <li key={file.id}>
                      <PaperClipOutlined />{' '}
                      <a
                        href={file.downloadUrl}
                        download={file.filename}
                        onClick={(event) => {
                          event.preventDefault(); // the file needs the user's token, which a plain link does not send
                          void downloadFile(file.downloadUrl, file.filename).then((ok) => ok || message.error(s('entry.downloadFailed')));
                        }}
                      >
                        {file.filename}
                      </a>{' '}
                      ({Math.max(1, Math.round(file.size / 1024))} KB)
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </li>
        );
      })}
    </Flex>
  );
}
