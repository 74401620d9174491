import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Flex, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { CompetitorFieldsFragment as Competitor, IntelligenceFieldsFragment as Entry, IntelligenceKind } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { CompetitorsQuery, IntelligenceQuery, SaveCompetitorMutation, SaveIntelligenceMutation } from './operations';
import { KINDS, strings } from './strings';

const FILTERS = ['tab', 'search', 'kind', 'competitorId', 'tag'] as const;

/** Market intelligence: entries searched in Chinese, filtered by kind, competitor and tag and paged, and the
 * competitors with their win/loss from sales' closed deals; the tab and filters in the URL. */
export default function IntelligencePage() {
  const s = useStrings(strings);
  const list = useListParams(FILTERS);
  const competitors = useQuery(CompetitorsQuery, { variables: { search: list.filter.tab === 'competitors' ? list.filter.search : null } });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('intel.title')}
      </Typography.Title>
      <Tabs
        activeKey={list.filter.tab === 'competitors' ? 'competitors' : 'entries'}
        onChange={(tab) => list.update((next) => ['tab', 'search', 'kind', 'competitorId', 'tag'].forEach((k) => (k === 'tab' ? next.set(k, tab) : next.delete(k))))}
        items={[
          { key: 'entries', label: s('intel.tab.entries'), children: <Entries list={list} competitors={competitors.data?.competitors ?? []} /> },
          {
            key: 'competitors',
            label: s('intel.tab.competitors'),
            children: <Competitors list={list} rows={competitors.data?.competitors ?? []} loading={competitors.loading} error={competitors.error} retry={() => void competitors.refetch()} />,
          },
        ]}
      />
    </Space>
  );
}

type List = ReturnType<typeof useListParams<(typeof FILTERS)[number]>>;

function Entries({ list, competitors }: { list: List; competitors: Competitor[] }) {
  const s = useStrings(strings);
  const { filter, set, page, after, hasPrevious } = list;
  const kind = filter.kind as IntelligenceKind | null;
  const variables = { filter: { search: filter.search, kind: kind ? [kind] : null, competitorId: filter.competitorId, tag: filter.tag }, after };
  const { data, previousData, loading, error, refetch } = useQuery(IntelligenceQuery, { variables });
  const shown = (data ?? previousData)?.intelligence;
  const [editing, setEditing] = useState<Entry | 'new' | null>(null);
  const names = new Map(competitors.map((c) => [c.id, c.name]));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('intel.search')}
          placeholder={s('intel.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 240px' }}
        />
        <Select
          aria-label={s('intel.filterKind')}
          placeholder={s('intel.filterKind')}
          allowClear
          value={kind ?? undefined}
          onChange={(value?: string) => set('kind', value ?? null)}
          options={KINDS.map((k) => ({ value: k, label: s(`kind.${k}`) }))}
          style={{ minWidth: 140 }}
        />
        <Select
          aria-label={s('intel.filterCompetitor')}
          placeholder={s('intel.filterCompetitor')}
          allowClear
          value={filter.competitorId ?? undefined}
          onChange={(value?: string) => set('competitorId', value ?? null)}
          options={competitors.map((c) => ({ value: c.id, label: c.name }))}
          style={{ minWidth: 160 }}
        />
        <Input.Search
          aria-label={s('intel.filterTag')}
          placeholder={s('intel.filterTag')}
          defaultValue={filter.tag ?? ''}
          allowClear
          onSearch={(value) => set('tag', value.trim())}
          style={{ width: 160 }}
        />
        {can('marketing:intelligence:create') && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {s('intel.new')}
          </Button>
        )}
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={shown?.edges.map((e) => e.node) ?? []}
        expandable={{ expandedRowRender: (row) => <EntryDetails entry={row} /> }}
        columns={[
          { title: s('intel.titleField'), dataIndex: 'title' },
          { title: s('intel.kind'), key: 'kind', render: (_, row) => <Tag>{s(`kind.${row.kind}`)}</Tag> },
          { title: s('intel.competitor'), key: 'competitor', responsive: ['sm'], render: (_, row) => (row.competitorId ? names.get(row.competitorId) : null) },
          { title: s('intel.tags'), key: 'tags', responsive: ['md'], render: (_, row) => row.tags.map((t) => <Tag key={t}>{t}</Tag>) },
          { title: s('intel.createdAt'), key: 'createdAt', responsive: ['md'], render: (_, row) => new Date(row.createdAt).toLocaleDateString() },
          ...(can('marketing:intelligence:update')
            ? [{ title: '', key: 'edit', render: (_: unknown, row: Entry) => <Button size="small" onClick={() => setEditing(row)}>{s('common.edit')}</Button> }]
            : []),
        ]}
      />
      <ListFooter
        total={shown ? s('intel.total', { count: shown.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.pageInfo.endCursor)}
      />
      {editing && <EntryDialog entry={editing === 'new' ? null : editing} competitors={competitors} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function EntryDetails({ entry }: { entry: Entry }) {
  const s = useStrings(strings);
  return (
    <Space direction="vertical" style={{ whiteSpace: 'pre-wrap', maxWidth: '100%' }}>
      <span>{entry.body}</span>
      {entry.source && <span>{`${s('intel.source')}: ${entry.source}`}</span>}
      {entry.links.map((link) => (
        <a key={link} href={link} target="_blank" rel="noopener noreferrer" style={{ wordBreak: 'break-all' }}>
          {link}
        </a>
      ))}
      {entry.createdBy && <Typography.Text type="secondary">{`${s('intel.createdBy')}: ${entry.createdBy.displayName}`}</Typography.Text>}
    </Space>
  );
}

interface EntryValues {
  kind: IntelligenceKind;
  title: string;
  body: string;
  source: string;
  links: string[];
  tags: string[];
  competitorId?: string | null;
}

function EntryDialog({ entry, competitors, onClose }: { entry: Entry | null; competitors: Competitor[]; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [save] = useMutation(SaveIntelligenceMutation, { refetchQueries: ['Intelligence'] });
  const initial: EntryValues = entry
    ? { kind: entry.kind, title: entry.title, body: entry.body, source: entry.source, links: entry.links, tags: entry.tags, competitorId: entry.competitorId }
    : { kind: 'NEWS', title: '', body: '', source: '', links: [], tags: [], competitorId: null };
  return (
    <FormDialog<EntryValues>
      open
      title={entry ? s('intel.edit') : s('intel.new')}
      initialValues={initial}
      onClose={onClose}
      run={async (values) => {
        await save({ variables: { id: entry?.id ?? null, input: { ...values, competitorId: values.competitorId ?? null } } });
        void message.success(s('intel.saved'));
      }}
    >
      {() => (
        <>
          <Form.Item name="kind" label={s('intel.kind')}>
            <Select options={KINDS.map((k) => ({ value: k, label: s(`kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="title" label={s('intel.titleField')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="body" label={s('intel.body')}>
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item name="source" label={s('intel.source')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="links" label={s('intel.links')} extra={s('intel.linksHint')}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item name="tags" label={s('intel.tags')}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item name="competitorId" label={s('intel.competitor')}>
            <Select allowClear options={competitors.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

function Competitors({ list, rows, loading, error, retry }: { list: List; rows: Competitor[]; loading: boolean; error?: unknown; retry: () => void }) {
  const s = useStrings(strings);
  const [editing, setEditing] = useState<Competitor | 'new' | null>(null);
  const percent = (rate?: string | null) => (rate == null ? s('common.none') : `${(Number(rate) * 100).toFixed(1)}%`);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('competitors.search')}
          placeholder={s('competitors.search')}
          defaultValue={list.filter.search ?? ''}
          allowClear
          onSearch={(value) => list.set('search', value.trim())}
          style={{ flex: '1 1 240px' }}
        />
        {can('marketing:intelligence:create') && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {s('competitors.new')}
          </Button>
        )}
      </Flex>
      {error != null && <ErrorState error={error} retry={retry} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        expandable={{
          expandedRowRender: (row) => (
            <Space direction="vertical" style={{ whiteSpace: 'pre-wrap' }}>
              {row.description && <span>{row.description}</span>}
              {row.strengths && <span>{`${s('competitor.strengths')}: ${row.strengths}`}</span>}
              {row.weaknesses && <span>{`${s('competitor.weaknesses')}: ${row.weaknesses}`}</span>}
              {row.website && (
                <a href={row.website} target="_blank" rel="noopener noreferrer">
                  {row.website}
                </a>
              )}
              {row.account && <Link to={`/accounts/${row.account.id}`}>{`${s('competitor.account')}: ${row.account.name}`}</Link>}
            </Space>
          ),
        }}
        columns={[
          { title: s('competitor.name'), dataIndex: 'name' },
          { title: s('competitor.aliases'), key: 'aliases', responsive: ['md'], render: (_, row) => row.aliases.map((a) => <Tag key={a}>{a}</Tag>) },
          { title: s('intel.tab.competitors'), key: 'winLoss', render: (_, row) => s('competitor.winLoss', { won: row.winLoss.won, lost: row.winLoss.lost }) },
          { title: s('competitor.winRate'), key: 'winRate', align: 'right', render: (_, row) => percent(row.winLoss.winRate) },
          { title: s('competitor.wonRevenue'), key: 'wonRevenue', align: 'right', responsive: ['sm'], render: (_, row) => row.winLoss.wonRevenue },
          { title: s('competitor.lostRevenue'), key: 'lostRevenue', align: 'right', responsive: ['sm'], render: (_, row) => row.winLoss.lostRevenue },
          ...(can('marketing:intelligence:update')
            ? [{ title: '', key: 'edit', render: (_: unknown, row: Competitor) => <Button size="small" onClick={() => setEditing(row)}>{s('common.edit')}</Button> }]
            : []),
        ]}
      />
      {editing && <CompetitorDialog competitor={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

interface CompetitorValues {
  name: string;
  aliases: string[];
  website: string;
  description: string;
  strengths: string;
  weaknesses: string;
}

function CompetitorDialog({ competitor, onClose }: { competitor: Competitor | null; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [save] = useMutation(SaveCompetitorMutation, { refetchQueries: ['Competitors'] });
  const c = competitor;
  const initial: CompetitorValues = {
    name: c?.name ?? '',
    aliases: c?.aliases ?? [],
    website: c?.website ?? '',
    description: c?.description ?? '',
    strengths: c?.strengths ?? '',
    weaknesses: c?.weaknesses ?? '',
  };
  return (
    <FormDialog<CompetitorValues>
      open
      title={c ? s('competitors.edit') : s('competitors.new')}
      initialValues={initial}
      onClose={onClose}
      run={async (values) => {
        // the whole competitor is saved: its account stays as it was
        const input = { ...values, website: values.website.trim() || null, accountId: c?.account?.id ?? null };
        await save({ variables: { id: c?.id ?? null, input } });
        void message.success(s('competitors.saved'));
      }}
    >
      {() => (
        <>
          <Form.Item name="name" label={s('competitor.name')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="aliases" label={s('competitor.aliases')} extra={s('competitor.aliasesHint')}>
            <Select mode="tags" open={false} suffixIcon={null} />
          </Form.Item>
          <Form.Item name="website" label={s('competitor.website')}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="description" label={s('competitor.description')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="strengths" label={s('competitor.strengths')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="weaknesses" label={s('competitor.weaknesses')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
