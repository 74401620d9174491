import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Radio, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import type { MergeFieldsFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import type { MessageKey } from '../../i18n/strings';
import { MergeAccountsMutation, MergeCandidatesQuery } from './operations';

const FIELDS = ['name', 'industry', 'size', 'province', 'city', 'address', 'website', 'level', 'source', 'phone', 'email'] as const;
type Field = (typeof FIELDS)[number];
type Side = 'a' | 'b';

/** Two accounts side by side: choose the one that remains and, field by field, the value that survives; the
 * API merges in one transaction (contacts, activities, tasks and links move; tags are joined). */
export default function MergePage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const ids = { a: params.get('a') ?? '', b: params.get('b') ?? '' };
  const { data, error, refetch } = useQuery(MergeCandidatesQuery, { variables: ids, skip: !ids.a || !ids.b });
  const [merge, merging] = useMutation(MergeAccountsMutation);
  const [survivor, setSurvivor] = useState<Side>('a');
  const [picked, setPicked] = useState<Partial<Record<Field, Side>>>({});
  const [problem, setProblem] = useState<string | null>(null);

  if (error && !data?.a) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data?.a || !data.b) return <Skeleton active />;
  const accounts: Record<Side, MergeFieldsFragment> = { a: data.a, b: data.b };
  const other: Side = survivor === 'a' ? 'b' : 'a';
  // as the API does: the remaining account's value, or the other's where it has none
  const choice = (field: Field): Side => picked[field] ?? (accounts[survivor][field] != null ? survivor : other);

  async function submit() {
    setProblem(null);
    const keep = FIELDS.filter((f) => choice(f) === other && accounts[other][f] != null);
    try {
      const { data: merged } = await merge({ variables: { target: accounts[survivor].id, source: accounts[other].id, keep } });
      message.success(s('merge.done'));
      navigate(`/accounts/${merged!.mergeAccounts.id}`, { replace: true });
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  const head = (side: Side) => (
    <Radio checked={survivor === side} onChange={() => setSurvivor(side)}>
      {accounts[side].name}
      {survivor === side && <Tag color="blue" style={{ marginInlineStart: 8 }}>{s('merge.survivor')}</Tag>}
    </Radio>
  );
  const value = (field: Field, side: Side) => {
    const shown = accounts[side][field];
    if (shown == null) return <Typography.Text type="secondary">—</Typography.Text>;
    return (
      <Radio
        name={`merge-${field}`}
        checked={choice(field) === side}
        onChange={() => setPicked({ ...picked, [field]: side })}
        aria-label={`${t(`accounts.${field}` as MessageKey)}: ${shown}`}
      >
        <span style={{ overflowWrap: 'anywhere' }}>{shown}</span>
      </Radio>
    );
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('merge.title')}
      </Typography.Title>
      <Typography.Paragraph>{s('merge.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Card>
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          tableLayout="fixed"
          dataSource={FIELDS.map((field) => ({ field }))}
          columns={[
            { title: s('merge.field'), key: 'field', width: '22%', render: (_, { field }) => t(`accounts.${field}` as MessageKey) },
            { title: head('a'), key: 'a', render: (_, { field }) => value(field, 'a') },
            { title: head('b'), key: 'b', render: (_, { field }) => value(field, 'b') },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('accounts.tags')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} colSpan={2}>
                {[...new Set([...accounts.a.tags, ...accounts.b.tags])].map((tag) => (
                  <Tag key={tag}>{tag}</Tag>
                ))}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
      <Space wrap>
        <Button type="primary" danger loading={merging.loading} onClick={() => void submit()}>
          {s('merge.submit')}
        </Button>
        <Button onClick={() => navigate(-1)}>{t('form.cancel')}</Button>
      </Space>
    </Space>
  );
}
