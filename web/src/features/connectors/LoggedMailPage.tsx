import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { TONE } from '../tickets/labels';
import { LoggedMailsQuery } from './operations';
import { strings } from './strings';
import { UnmatchedOnly } from './UnmatchedOnly';

const addresses = (list: string[]) => <span style={{ wordBreak: 'break-all' }}>{list.join(', ')}</span>;

/** One's email logging address, to copy into Bcc or Cc, with what it does; and the mail taken in there,
 * newest first, all or only the mail no contact had an address of, paged in the URL. */
export default function LoggedMailPage() {
  const s = useStrings(strings);
  const { t } = useI18n();
  const list = useListParams(['unmatched']);
  const unmatchedOnly = list.filter.unmatched === '1';
  const { data, previousData, loading, error, refetch } = useQuery(LoggedMailsQuery, { variables: { unmatchedOnly, after: list.after } });
  const shown = data ?? previousData;
  if (error && !shown) return <ErrorState error={error} retry={() => void refetch()} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.loggedMail')}
      </Typography.Title>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('mail.address')}</h2>} loading={!shown}>
        <Typography.Paragraph
          copyable={{
            text: shown?.myEmailLoggingAddress,
            tooltips: [s('mail.copy'), s('mail.copied')],
            icon: [
              <span key="copy"><CopyOutlined /> {s('mail.copy')}</span>,
              // antd's success green is too light for text on white (WCAG AA)
              <span key="copied" style={{ color: TONE.green }}><CheckOutlined /> {s('mail.copied')}</span>,
            ],
          }}
        >
          <span style={{ fontFamily: 'monospace', fontSize: 18, wordBreak: 'break-all' }}>{shown?.myEmailLoggingAddress}</span>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {s('mail.explain')}
        </Typography.Paragraph>
      </Card>
      <UnmatchedOnly value={unmatchedOnly} onChange={(only) => list.set('unmatched', only ? '1' : null)} />
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={shown?.loggedMails.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: s('mail.none') }}
        columns={[
          { title: s('mail.sentAt'), dataIndex: 'sentAt', render: (at: string) => new Date(at).toLocaleString() },
          { title: s('mail.subject'), dataIndex: 'subject', render: (subject: string) => <span style={{ wordBreak: 'break-word' }}>{subject}</span> },
          { title: s('mail.from'), dataIndex: 'sender', responsive: ['md'], render: addresses },
          { title: s('mail.to'), dataIndex: 'recipients', responsive: ['lg'], render: addresses },
          {
            title: s('mail.matched'),
            dataIndex: 'matched',
            render: (count: number) => (count ? s('mail.contacts', { count }) : <Tag>{s('unmatched')}</Tag>),
          },
        ]}
      />
      <ListFooter
        total={shown ? s('mail.total', { count: shown.loggedMails.totalCount }) : null}
        hasPrevious={list.hasPrevious}
        hasNext={!!shown?.loggedMails.pageInfo.hasNextPage}
        onPage={(forward) => list.page(forward, shown?.loggedMails.pageInfo.endCursor)}
      />
    </Space>
  );
}
