import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import type { AssignmentRuleDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
import {
  AddScoringRuleMutation,
  DeleteAssignmentRuleMutation,
  DeleteScoringRuleMutation,
  LeadRulesQuery,
  RuleChoicesQuery,
  SaveAssignmentRuleMutation,
} from './operations';

const METHODS = ['round_robin', 'least_loaded', 'fixed'] as const;
const SCORE_FIELDS = ['source', 'industry', 'province', 'city', 'title', 'email', 'phone', 'activities'] as const;

/** How new leads find an owner (assignment rules, by priority) and how they are scored. */
export default function LeadRulesPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { data, loading, error, refetch } = useQuery(LeadRulesQuery);
  const [editing, setEditing] = useState<AssignmentRuleDetailFragment | 'new' | null>(null);
  const [deleteRule] = useMutation(DeleteAssignmentRuleMutation);
  const [deleteScore] = useMutation(DeleteScoringRuleMutation);

  async function run(action: () => Promise<unknown>) {
    try {
      await action();
      message.success(t('form.saved'));
      await refetch();
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  const list = (values: readonly string[]) => values.map((v) => <Tag key={v}>{v}</Tag>);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('nav.leadRules')}
      </Typography.Title>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('rules.assignment')}</h2>}
        extra={can('sales:lead_rule:update') && <Button onClick={() => setEditing('new')}>{s('rules.newRule')}</Button>}
      >
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.assignmentRules ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: s('rules.priority'), dataIndex: 'priority' },
            { title: s('rules.name'), dataIndex: 'name' },
            { title: s('rules.method'), dataIndex: 'method', render: (m: string) => s(`rules.method.${m}` as Key) },
            { title: s('rules.provinces'), dataIndex: 'provinces', responsive: ['md'], render: list },
            { title: s('rules.industries'), dataIndex: 'industries', responsive: ['md'], render: list },
            { title: s('rules.sources'), dataIndex: 'sources', responsive: ['lg'], render: list },
            { title: s('rules.members'), key: 'members', responsive: ['lg'], render: (_, r) => list(r.members.map((m) => m.displayName)) },
            { title: t('users.status'), dataIndex: 'active', render: (on: boolean) => <Tag>{on ? s('rules.active') : s('rules.paused')}</Tag> },
            {
              title: t('users.actions'),
              key: 'actions',
              render: (_, rule) => (
                <Space size={0}>
                  {can('sales:lead_rule:update') && (
                    <Button type="link" aria-label={t('users.editNamed', { name: rule.name })} onClick={() => setEditing(rule)}>
                      {t('form.edit')}
                    </Button>
                  )}
                  {can('sales:lead_rule:delete') && (
                    <Popconfirm title={s('rules.confirmDelete', { name: rule.name })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => deleteRule({ variables: { id: rule.id } }))}>
                      <Button type="link" danger aria-label={s('rules.deleteNamed', { name: rule.name })}>
                        {s('rules.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('rules.scoring')}</h2>}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {can('sales:lead_rule:create') && <ScoringForm onAdded={() => void refetch()} />}
          <Table
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={data?.scoringRules ?? []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: s('rules.field'), dataIndex: 'field', render: (f: string) => s(`rules.field.${f}` as Key) },
              { title: s('rules.value'), dataIndex: 'value' },
              { title: s('rules.points'), dataIndex: 'points' },
              {
                title: t('users.actions'),
                key: 'actions',
                render: (_, rule) =>
                  can('sales:lead_rule:delete') && (
                    <Popconfirm title={s('rules.confirmDelete', { name: `${rule.field} ${rule.value}` })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={() => run(() => deleteScore({ variables: { id: rule.id } }))}>
                      <Button type="link" danger>
                        {s('rules.delete')}
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </Space>
      </Card>
      {editing && (
        <AssignmentRuleModal
          rule={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
            void refetch();
          }}
        />
      )}
    </Space>
  );
}

interface ScoreValues {
  field: string;
  value?: string;
  points: number;
}

function ScoringForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [form] = Form.useForm<ScoreValues>();
  const [add, { loading }] = useMutation(AddScoringRuleMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: ScoreValues) {
    setProblem(null);
    try {
      await add({ variables: { field: values.field, value: values.value?.trim() ?? '', points: values.points } });
      form.resetFields();
      onAdded();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ field: 'source', points: 10 }} style={{ rowGap: 8 }}>
        <Form.Item name="field" label={s('rules.field')}>
          <Select options={SCORE_FIELDS.map((f) => ({ value: f, label: s(`rules.field.${f}` as Key) }))} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="value" label={s('rules.value')}>
          <Input style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="points" label={s('rules.points')} rules={[{ required: true, message: t('form.required', { field: s('rules.points') }) }]}>
          <InputNumber style={{ width: 100 }} />
        </Form.Item>
        <Button htmlType="submit" loading={loading}>
          {s('rules.addScore')}
        </Button>
      </Form>
    </>
  );
}

interface RuleValues {
  name: string;
  method: string;
  priority: number;
  provinces: string[];
  industries: string[];
  sources: string[];
  unitId?: string | null;
  memberIds: string[];
  active: boolean;
}

function AssignmentRuleModal({ rule, onClose }: { rule: AssignmentRuleDetailFragment | null; onClose: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [form] = Form.useForm<RuleValues>();
  const choices = useQuery(RuleChoicesQuery);
  const users = useQuery(ActiveUsersQuery);
  const [save, { loading }] = useMutation(SaveAssignmentRuleMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: RuleValues) {
    setProblem(null);
    try {
      await save({ variables: { id: rule?.id ?? null, input: { ...values, name: values.name.trim(), unitId: values.unitId ?? null } } });
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  const tags = <Select mode="tags" open={false} suffixIcon={null} />;
  const initial = rule
    ? { ...rule, memberIds: rule.members.map((m) => m.id) }
    : { method: 'round_robin', priority: 100, provinces: [], industries: [], sources: [], memberIds: [], active: true };
  return (
    <Modal open title={rule ? s('rules.editRule') : s('rules.newRule')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initial}>
        <Form.Item name="name" label={s('rules.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('rules.name') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Form.Item name="method" label={s('rules.method')} style={{ flex: '1 1 160px' }}>
            <Select options={METHODS.map((m) => ({ value: m, label: s(`rules.method.${m}` as Key) }))} />
          </Form.Item>
          <Form.Item name="priority" label={s('rules.priority')} style={{ flex: '0 1 120px' }}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="provinces" label={s('rules.provinces')}>
          {tags}
        </Form.Item>
        <Form.Item name="industries" label={s('rules.industries')}>
          {tags}
        </Form.Item>
        <Form.Item name="sources" label={s('rules.sources')}>
          {tags}
        </Form.Item>
        <Form.Item name="unitId" label={s('rules.unit')}>
          <Select allowClear placeholder={s('rules.companyWide')} options={choices.data?.orgUnits.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="memberIds" label={s('rules.members')}>
          <Select mode="multiple" optionFilterProp="label" options={userOptions(users.data)} />
        </Form.Item>
        <Form.Item name="active" label={s('rules.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
