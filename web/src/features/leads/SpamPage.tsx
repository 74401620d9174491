import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Flex, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { describe } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
import { DiscardSubmissionsMutation, QuarantinedQuery, RecoverSubmissionMutation } from './operations';

const REASONS: Record<string, Key> = {
  honeypot: 'spam.reason.honeypot',
  'too fast': 'spam.reason.tooFast',
  'link in a name': 'spam.reason.link',
  'disposable email': 'spam.reason.disposable',
};

/** The web form's spam of the last 30 days: a manager recovers a real customer as a lead, or discards. */
export default function SpamPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const navigate = useNavigate();
  const { page, after, hasPrevious } = useListParams([]);
  const { data, previousData, loading, error, refetch } = useQuery(QuarantinedQuery, {
    variables: { after },
    fetchPolicy: 'cache-and-network',
  });
  const [recover] = useMutation(RecoverSubmissionMutation);
  const [discard, discarding] = useMutation(DiscardSubmissionsMutation);
  const [selected, setSelected] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const shown = data ?? previousData;

  async function notSpam(id: string) {
    setProblem(null);
    setNotice(null);
    try {
      const { data: made } = await recover({ variables: { id } });
      if (made?.recoverSubmission) navigate(`/leads/${made.recoverSubmission.id}`);
      else {
        setNotice(s('spam.recoveredElsewhere'));
        await refetch();
      }
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  async function forget() {
    setProblem(null);
    try {
      await discard({ variables: { ids: selected } });
      setSelected([]);
      await refetch();
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  if (!shown && error) return <ErrorState error={error} retry={() => void refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('spam.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {s('spam.intro')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={problem} />}
      {notice && <Alert type="success" showIcon message={notice} role="status" />}
      <Flex wrap gap={8}>
        <Popconfirm title={s('spam.discardConfirm', { count: selected.length })} onConfirm={() => void forget()}>
          <Button danger disabled={!selected.length} loading={discarding.loading}>
            {s('spam.discard')}
          </Button>
        </Popconfirm>
      </Flex>
      <Table
        rowKey="id"
        loading={loading}
        dataSource={shown?.quarantinedSubmissions.edges.map((e) => e.node) ?? []}
        pagination={false}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (row) => ({ 'aria-label': row.company }),
        }}
        columns={[
          { title: s('leads.company'), dataIndex: 'company' },
          { title: s('leads.contactName'), dataIndex: 'contactName', responsive: ['sm'] },
          {
            title: s('spam.reason'),
            dataIndex: 'reason',
            render: (reason: string) => (
              <Tag>
                {reason in REASONS ? s(REASONS[reason]) : reason}
              </Tag>
            ),
          },
          {
            title: s('spam.contact'),
            key: 'contact',
            responsive: ['md'],
            render: (_, row) => [row.phone, row.email].filter(Boolean).join(' · '),
          },
          { title: s('spam.message'), dataIndex: 'message', responsive: ['lg'], ellipsis: true },
          {
            title: s('spam.receivedAt'),
            dataIndex: 'receivedAt',
            responsive: ['md'],
            render: (at: string) => new Date(at).toLocaleString(),
          },
          {
            title: s('spam.actions'),
            key: 'actions',
            render: (_, row) => (
              <Button size="small" onClick={() => void notSpam(row.id)}>
                {s('spam.recover')}
              </Button>
            ),
          },
        ]}
      />
      <ListFooter
        total={shown ? s('spam.total', { count: shown.quarantinedSubmissions.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.quarantinedSubmissions.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.quarantinedSubmissions.pageInfo.endCursor)}
      />
    </Space>
  );
}
