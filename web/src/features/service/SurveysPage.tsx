import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Col, DatePicker, Flex, Form, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { SurveyKind } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { SendNpsSurveysMutation, SurveyAccountsQuery, SurveyResultsQuery } from './operations';
import { catalogue } from './strings';

const FILTERS = ['kind', 'answered', 'accountId', 'from', 'to'] as const;
const KINDS: SurveyKind[] = ['CSAT', 'NPS'];

/** The start of a day in the browser's time zone, as the API's DateTime. */
function dayStart(day: string | null, plus = 0): string | null {
  return day ? dayjs(day).add(plus, 'day').startOf('day').toISOString() : null;
}

/** A score coloured as its scale reads: CSAT 4–5 and NPS 9–10 good, CSAT 1–2 and NPS 0–6 poor (solid, so the white
 * text keeps AA contrast). */
function scoreColor(kind: SurveyKind, score: number): string {
  const [good, poor] = kind === 'CSAT' ? [score >= 4, score <= 2] : [score >= 9, score <= 6];
  return good ? '#237804' : poor ? '#a8071a' : '#ad6800';
}

/** Answers to the satisfaction (CSAT with its effort score) and NPS surveys the caller may see, with
 * their summary; filters and pages in the URL. Staff pass on a waiting survey's link, and send an
 * account's NPS survey now. */
export default function SurveysPage() {
  const s = useStrings(catalogue);
  const { message } = App.useApp();
  const { filter, set, update, page, after, hasPrevious } = useListParams(FILTERS);
  const [sending, setSending] = useState(false);
  const [accountSearch, setAccountSearch] = useState<string | null>(null);
  const variables = {
    filter: {
      kind: filter.kind as SurveyKind | null,
      accountId: filter.accountId,
      answered: filter.answered === null ? null : filter.answered === 'yes',
      answeredFrom: dayStart(filter.from),
      answeredTo: dayStart(filter.to, 1),
    },
    after,
  };
  const { data, previousData, loading, error, refetch } = useQuery(SurveyResultsQuery, { variables });
  const accounts = useQuery(SurveyAccountsQuery, { variables: { search: accountSearch }, skip: accountSearch === null });
  const [sendNps] = useMutation(SendNpsSurveysMutation, { refetchQueries: ['SurveyResults'] });
  const shown = data ?? previousData;
  const rows = shown?.surveyResults.edges.map((e) => e.node) ?? [];
  const summary = shown?.surveySummary;

  const accountOptions = [
    ...(accounts.data?.accounts.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []),
    ...rows.filter((r) => r.account.id === filter.accountId).slice(0, 1).map((r) => ({ value: r.account.id, label: r.account.name })),
  ].filter((option, index, all) => all.findIndex((o) => o.value === option.value) === index);
  const accountPicker = {
    showSearch: true,
    allowClear: true,
    filterOption: false,
    onSearch: (value: string) => setAccountSearch(value.trim() || null),
    onFocus: () => setAccountSearch((current) => current ?? ''),
    loading: accounts.loading,
    notFoundContent: null,
  } as const;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('surveys.title')}
        </Typography.Title>
        {can('support:survey:create') && <Button onClick={() => setSending(true)}>{s('surveys.sendNps')}</Button>}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('surveys.csatSummary')}</h2>}>
            <Flex wrap gap={24}>
              <Statistic title={s('surveys.satisfied')} value={summary?.csat.satisfiedPercent ?? '—'} suffix={summary?.csat.satisfiedPercent != null ? '%' : undefined} />
              <Statistic title={s('surveys.average')} value={summary?.csat.average ?? '—'} />
              <Statistic title={s('surveys.answers')} value={summary?.csat.answers ?? 0} />
            </Flex>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('surveys.npsSummary')}</h2>}>
            <Flex wrap gap={24}>
              <Statistic title="NPS" value={summary?.nps.score ?? '—'} />
              <Statistic title={s('surveys.promoters')} value={summary?.nps.promoters ?? 0} />
              <Statistic title={s('surveys.passives')} value={summary?.nps.passives ?? 0} />
              <Statistic title={s('surveys.detractors')} value={summary?.nps.detractors ?? 0} />
            </Flex>
          </Card>
        </Col>
      </Row>
      <Flex wrap gap={8}>
        <Select
          aria-label={s('surveys.kind')}
          placeholder={s('surveys.kind')}
          allowClear
          value={filter.kind}
          onChange={(value?: string) => set('kind', value ?? null)}
          options={KINDS.map((k) => ({ value: k, label: s(`surveys.kind.${k}`) }))}
          style={{ flex: '0 1 150px' }}
        />
        <Select
          aria-label={s('surveys.answered')}
          placeholder={s('surveys.answered')}
          allowClear
          value={filter.answered}
          onChange={(value?: string) => set('answered', value ?? null)}
          options={[
            { value: 'yes', label: s('surveys.answeredYes') },
            { value: 'no', label: s('surveys.answeredNo') },
          ]}
          style={{ flex: '0 1 130px' }}
        />
        <Select
          {...accountPicker}
          aria-label={s('surveys.account')}
          placeholder={s('surveys.account')}
          value={filter.accountId}
          onChange={(value?: string) => set('accountId', value ?? null)}
          options={accountOptions}
          style={{ flex: '1 1 200px' }}
        />
        <DatePicker.RangePicker
          aria-label={s('surveys.answeredBetween')}
          placeholder={[s('surveys.from'), s('surveys.to')]}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
          onChange={(range) =>
            update((next) => {
              const [from, to] = range ?? [];
              if (from && to) {
                next.set('from', from.format('YYYY-MM-DD'));
                next.set('to', to.format('YYYY-MM-DD'));
              } else {
                next.delete('from');
                next.delete('to');
              }
            })
          }
          style={{ flex: '1 1 240px', minWidth: 0 }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        aria-label={s('surveys.title')}
        locale={{ emptyText: s('surveys.empty') }}
        columns={[
          { title: s('surveys.kind'), dataIndex: 'kind', render: (kind: SurveyKind) => s(`surveys.kind.${kind}`) },
          {
            title: s('surveys.score'),
            key: 'score',
            render: (_, row) =>
              row.score == null ? <Tag>{s('surveys.waiting')}</Tag> : <Tag color={scoreColor(row.kind, row.score)}>{row.score}</Tag>,
          },
          { title: s('surveys.effort'), dataIndex: 'effort', responsive: ['md'], render: (effort: number | null) => effort ?? '—' },
          {
            title: s('surveys.account'),
            key: 'account',
            render: (_, row) => <Link to={`/accounts/${row.account.id}`}>{row.account.name}</Link>,
          },
          {
            title: s('surveys.ticket'),
            key: 'ticket',
            responsive: ['sm'],
            render: (_, row) => (row.ticketId ? <Link to={`/tickets/${row.ticketId}`}>{s('surveys.openTicket')}</Link> : '—'),
          },
          { title: s('surveys.comment'), dataIndex: 'comment', responsive: ['md'], render: (comment: string | null) => comment || '—' },
          {
            title: s('surveys.followUp'),
            dataIndex: 'followUp',
            responsive: ['lg'],
            render: (followUp: string) => (followUp === 'NONE' ? '—' : <Tag color="red">{s(`surveys.followUp.${followUp as 'REOPENED' | 'TASK'}`)}</Tag>),
          },
          {
            title: s('surveys.answeredAt'),
            key: 'answeredAt',
            responsive: ['lg'],
            render: (_, row) =>
              row.answeredAt ? new Date(row.answeredAt).toLocaleString() : s('surveys.sentAt', { at: new Date(row.sentAt).toLocaleDateString() }),
          },
          {
            title: s('surveys.link'),
            key: 'link',
            responsive: ['md'],
            render: (_, row) =>
              row.link ? (
                <Typography.Text copyable={{ text: row.link, tooltips: [s('surveys.copyLink'), s('surveys.copied')] }}>{s('surveys.linkReady')}</Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <ListFooter
        total={shown ? s('surveys.total', { count: shown.surveyResults.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.surveyResults.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.surveyResults.pageInfo.endCursor)}
      />
      <FormDialog<{ accountId?: string }>
        title={s('surveys.sendNps')}
        open={sending}
        onClose={() => setSending(false)}
        initialValues={{ accountId: filter.accountId ?? undefined }}
        run={async (values) => {
          const sent = await sendNps({ variables: { accountId: values.accountId ?? '' } });
          void message.success(s('surveys.sentCount', { count: sent.data?.sendNpsSurveys ?? 0 }));
        }}
      >
        {() => (
          <Form.Item name="accountId" label={s('surveys.account')} rules={[{ required: true, message: s('surveys.pickAccount') }]} extra={s('surveys.sendNpsHint')}>
            <Select {...accountPicker} options={accountOptions} />
          </Form.Item>
        )}
      </FormDialog>
    </Space>
  );
}
