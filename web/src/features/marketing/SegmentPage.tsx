import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, List, Popconfirm, Radio, Row, Skeleton, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import type { SegmentKind, SegmentQuery as SegmentData, SegmentRulesInput } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { ContactPicker } from './ContactPicker';
import { DeleteSegmentMutation, SaveSegmentMutation, SegmentMembersQuery, SegmentPreviewQuery, SegmentQuery } from './operations';
import { type GroupValues, NEW_CONDITION, RuleEditor, rulesComplete, rulesInput } from './RuleEditor';
import { strings } from './strings';

interface Values {
  name: string;
  description: string;
  kind: SegmentKind;
  rules: GroupValues;
}

/** A new segment, or one segment: its rules with the live count of the contacts they select while
 * being edited, and its members (a static list's added and removed by hand). */
export default function SegmentPage() {
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(SegmentQuery, { variables: { id: id! }, skip: !id });
  if (id && error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (id && !data) return <Skeleton active />;
  return <Editor key={id ?? 'new'} segment={data?.segment ?? null} />;
}

function formRules(rules: NonNullable<SegmentData['segment']['rules']>): GroupValues {
  const group = (g: Omit<typeof rules, 'groups'>): GroupValues => ({
    match: g.match,
    conditions: g.conditions.map((c) => ({
      field: c.field,
      operator: c.operator,
      value: c.value ?? '',
      values: c.values,
      days: c.days ?? null,
      key: c.key ?? '',
    })),
  });
  return { ...group(rules), groups: rules.groups.map(group) };
}

function Editor({ segment }: { segment: SegmentData['segment'] | null }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  // a new segment's page has no Segment or SegmentMembers query to refetch (it navigates to the saved one instead)
  const [save, saving] = useMutation(SaveSegmentMutation, { refetchQueries: segment ? ['Segments', 'Segment', 'SegmentMembers'] : ['Segments'] });
  const editable = can(segment ? 'marketing:segment:update' : 'marketing:segment:create');
  const kind = Form.useWatch('kind', form) ?? segment?.kind ?? 'DYNAMIC';
  const initial: Values = {
    name: segment?.name ?? '',
    description: segment?.description ?? '',
    kind: segment?.kind ?? 'DYNAMIC',
    rules: segment?.rules ? formRules(segment.rules) : { match: 'ALL', conditions: [{ ...NEW_CONDITION }], groups: [] },
  };

  async function submit(values: Values) {
    setProblem(null);
    try {
      const input = {
        name: values.name,
        description: values.description || null,
        kind: values.kind,
        rules: values.kind === 'DYNAMIC' ? rulesInput(values.rules) : null,
      };
      const saved = await save({ variables: { input, id: segment?.id ?? null } });
      void message.success(s('segment.saved'));
      if (!segment && saved.data) navigate(`/marketing/segments/${saved.data.saveSegment.id}`, { replace: true });
    } catch (failure) {
      const left = showFieldErrors(form, failure);
      setProblem(left.length ? describe(failure, t) : null);
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/marketing/segments">{s('segments.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {segment?.name ?? s('segments.new')}
        </Typography.Title>
        {segment && can('marketing:segment:delete') && <DeleteButton id={segment.id} onProblem={setProblem} />}
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} disabled={!editable}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={kind === 'DYNAMIC' ? 15 : 24}>
            <Card>
              <Form.Item name="name" label={s('segment.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('segment.name') }) }]}>
                <Input />
              </Form.Item>
              <Form.Item name="description" label={s('segment.description')}>
                <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
              </Form.Item>
              <Form.Item name="kind" label={s('segment.kind')}>
                <Radio.Group disabled={!!segment} options={(['DYNAMIC', 'STATIC'] as const).map((k) => ({ value: k, label: s(`kind.${k}`) }))} />
              </Form.Item>
              {kind === 'DYNAMIC' && (
                <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                  <legend style={{ fontSize: 14, fontWeight: 600 }}>{s('segment.rules')}</legend>
                  <RuleEditor name={['rules']} at={['rules']} disabled={!editable} />
                </fieldset>
              )}
              {editable && (
                <Button type="primary" htmlType="submit" loading={saving.loading} style={{ marginTop: 16 }}>
                  {s('segment.save')}
                </Button>
              )}
            </Card>
          </Col>
          {kind === 'DYNAMIC' && (
            <Col xs={24} lg={9}>
              <Preview />
            </Col>
          )}
        </Row>
      </Form>
      {segment && <Members segment={segment} />}
    </Space>
  );
}

/** The count the rules being edited select, asked for once the typing pauses and only while every
 * condition is complete (an untouched, empty condition is not the user's mistake); an error naming
 * a condition's part goes next to it. */
function Preview() {
  const s = useStrings(strings);
  const { t, language } = useI18n();
  const form = Form.useFormInstance<Values>();
  const watched = Form.useWatch('rules', form);
  const [rules, setRules] = useState<SegmentRulesInput | null>(null);
  const key = JSON.stringify(rulesComplete(watched) ? rulesInput(watched) : null);
  useEffect(() => {
    const timer = setTimeout(() => setRules(JSON.parse(key) as SegmentRulesInput | null), 300);
    return () => clearTimeout(timer);
  }, [key]);
  const { data, previousData, error } = useQuery(SegmentPreviewQuery, { variables: { rules: rules! }, skip: !rules });
  const [left, setLeft] = useState<string | null>(null);
  useEffect(() => {
    if (error) {
      setLeft(showFieldErrors(form, error).length ? describe(error, t) : null);
    } else {
      setLeft(null);
      const stale = form.getFieldsError().filter((f) => f.name[0] === 'rules' && f.errors.length);
      form.setFields(stale.map((f) => ({ name: f.name as never, errors: [] })));
    }
  }, [error, data, form, t]);
  const preview = (data ?? previousData)?.segmentPreview;

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('segment.preview')}</h2>}>
      <Typography.Paragraph role="status" strong style={{ fontSize: 18 }}>
        {rules && preview && !error
          ? s(preview.countIsExact ? 'segment.previewCount' : 'segment.previewAbout', {
              count: preview.count.toLocaleString(language),
            })
          : s('segment.previewNone')}
      </Typography.Paragraph>
      {left && <Alert type="error" showIcon message={left} />}
      {rules && preview && !error && preview.samples.length > 0 && (
        <List size="small" header={s('segment.samples')} dataSource={preview.samples} renderItem={(c) => <List.Item>{c.name}</List.Item>} />
      )}
    </Card>
  );
}

function Members({ segment }: { segment: SegmentData['segment'] }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [cursors, setCursors] = useState<string[]>([]);
  const [contactId, setContactId] = useState<string | null>(null);
  const { data, previousData, loading, error, refetch } = useQuery(SegmentMembersQuery, {
    variables: { id: segment.id, after: cursors.at(-1) ?? null },
  });
  const [save, saving] = useMutation(SaveSegmentMutation, { refetchQueries: ['SegmentMembers', 'Segments'] });
  const members = (data ?? previousData)?.segment.members;
  const listEditable = segment.kind === 'STATIC' && can('marketing:segment:update');

  async function change(add: string[], remove: string[]) {
    try {
      await save({ variables: { id: segment.id, input: { name: segment.name, kind: 'STATIC', addContactIds: add, removeContactIds: remove } } });
      setContactId(null);
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('segment.members')}</h2>}>
      {listEditable && (
        <Flex wrap gap={8} style={{ marginBottom: 12 }}>
          <div style={{ flex: '1 1 320px' }}>
            <ContactPicker value={contactId} onChange={setContactId} label={s('segment.pickContact')} />
          </div>
          <Button type="primary" disabled={!contactId} loading={saving.loading} onClick={() => void change([contactId!], [])}>
            {s('segment.addContact')}
          </Button>
        </Flex>
      )}
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={members?.edges.map((e) => e.node) ?? []}
        columns={[
          { title: s('segment.contact'), dataIndex: 'name' },
          ...(listEditable
            ? [
                {
                  title: '',
                  key: 'remove',
                  width: 80,
                  render: (_: unknown, row: { id: string }) => (
                    <Popconfirm title={s('segment.removeConfirm')} onConfirm={() => change([], [row.id])} okText={t('form.confirm')} cancelText={t('form.cancel')}>
                      <Button type="link" danger>
                        {s('segment.remove')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <ListFooter
          total={members ? s('segment.membersTotal', { count: members.totalCount }) : null}
          hasPrevious={cursors.length > 0}
          hasNext={!!members?.pageInfo.hasNextPage}
          onPage={(forward) => setCursors(forward && members?.pageInfo.endCursor ? [...cursors, members.pageInfo.endCursor] : cursors.slice(0, -1))}
        />
      </div>
    </Card>
  );
}

/** Deletes the segment after a confirmation; a refusal (a journey starts from it) is shown in the API's words. */
function DeleteButton({ id, onProblem }: { id: string; onProblem: (problem: string | null) => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [remove, removing] = useMutation(DeleteSegmentMutation, { refetchQueries: ['Segments'] });

  async function confirm() {
    onProblem(null);
    try {
      await remove({ variables: { id } });
      void message.success(s('segment.deleted'));
      navigate('/marketing/segments', { replace: true });
    } catch (failure) {
      onProblem(describe(failure, t));
    }
  }

  return (
    <Popconfirm title={s('segment.deleteConfirm')} onConfirm={confirm} okText={t('form.confirm')} cancelText={t('form.cancel')}>
      <Button danger loading={removing.loading}>
        {s('segment.delete')}
      </Button>
    </Popconfirm>
  );
}
