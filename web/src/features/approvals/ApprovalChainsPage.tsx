import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiErrors, atItsField, describe, showFieldErrors } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import type { ApprovalChainsQuery as Chains, ApprovalSubjectKind } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { ApprovalChainsQuery, SaveApprovalChainMutation } from './operations';
import { strings } from './strings';

type Chain = Chains['approvalChains'][number];
const KINDS: ApprovalSubjectKind[] = ['QUOTE', 'CONTRACT', 'CAMPAIGN_BUDGET'];
const JSON_FIELDS = ['conditions', 'levels'] as const;
const EXAMPLE = [{ name: '直属经理 Manager', approvers: [{ type: 'manager', level: 1 }], mode: 'ANY' }];

interface Values {
  name: string;
  subjectKind: ApprovalSubjectKind;
  position: number;
  active: boolean;
  conditions: string;
  levels: string;
}

/** Administrators' approval chains: which subjects each takes (tried in order) and its levels. */
export default function ApprovalChainsPage() {
  const s = useStrings(strings);
  const { data, loading, error, refetch } = useQuery(ApprovalChainsQuery);
  const [editing, setEditing] = useState<Chain | 'new' | null>(null);
  if (!data && error) return <ErrorState error={error} retry={() => void refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('chains.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>
          {s('chains.new')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{s('chains.default')}</Typography.Text>
      <Table
        rowKey="id"
        size="small"
        loading={loading && !data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data?.approvalChains ?? []}
        columns={[
          { title: s('chains.name'), dataIndex: 'name' },
          { title: s('chains.kind'), dataIndex: 'subjectKind', render: (kind: string) => s(`approvals.kind.${kind as ApprovalSubjectKind}`) },
          { title: s('chains.position'), dataIndex: 'position', responsive: ['sm'] },
          {
            title: s('chains.levels').split('（')[0].split(' (')[0],
            key: 'levels',
            render: (_, chain: Chain) => s('chains.levelCount', { count: (chain.levels as unknown[]).length }),
          },
          { title: s('chains.active'), dataIndex: 'active', render: (on: boolean) => (on ? <Tag color="green">✓</Tag> : <Tag>—</Tag>) },
          {
            key: 'edit',
            render: (_, chain: Chain) => (
              <Button size="small" onClick={() => setEditing(chain)} aria-label={`${s('chains.edit')} ${chain.name}`}>
                {s('chains.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <ChainDialog chain={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function ChainDialog({ chain, onClose }: { chain: Chain | null; onClose: () => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(SaveApprovalChainMutation, { refetchQueries: ['ApprovalChains'] });
  const initial: Values = {
    name: chain?.name ?? '',
    subjectKind: chain?.subjectKind ?? 'QUOTE',
    position: chain?.position ?? 0,
    active: chain?.active ?? true,
    conditions: JSON.stringify(chain?.conditions ?? [], null, 2),
    levels: JSON.stringify(chain?.levels ?? EXAMPLE, null, 2),
  };
  // checked as typed, so the box's error goes as soon as its text parses
  const json = {
    validator: (_: unknown, text: string | undefined) => {
      try {
        JSON.parse(text || 'null');
        return Promise.resolve();
      } catch {
        return Promise.reject(new Error(s('chains.badJson')));
      }
    },
  };

  async function submit(values: Values) {
    setProblem(null);
    // the last answer's errors go (a field without rules keeps its error until told); this answer's replace them
    form.setFields(Object.keys(values).map((name) => ({ name: name as keyof Values, errors: [] })));
    const parsed = Object.fromEntries(JSON_FIELDS.map((field) => [field, JSON.parse(values[field] || 'null') as unknown]));
    const input = { name: values.name, subjectKind: values.subjectKind, position: values.position, active: values.active, ...parsed };
    try {
      await save({ variables: { id: chain?.id ?? null, input: input as never } });
      void message.success(s('chains.saved'));
      onClose();
    } catch (failure) {
      // a wrong part of the JSON (`levels[0].mode`) goes next to its text box, named by its place in the JSON
      const left = showFieldErrors(form, failure);
      for (const root of JSON_FIELDS) {
        const mine = left.filter((e) => e.field?.startsWith(root));
        const said = mine.map((e) => s('chains.at', { path: e.field!, message: atItsField(e.message) }));
        if (mine.length) form.setFields([{ name: root, errors: said }]);
      }
      const rest = left.filter((e) => !JSON_FIELDS.some((root) => e.field?.startsWith(root)));
      if (rest.length) setProblem(apiErrors(failure).length ? rest.map((e) => e.message).join('; ') : describe(failure, t));
    }
  }

  return (
    <Modal
      title={chain ? chain.name : s('chains.new')}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={saving.loading}
      width={720}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item name="name" label={s('chains.name')} rules={[{ required: true, message: s('chains.name') }]}>
          <Input />
        </Form.Item>
        <Flex wrap gap={16}>
          <Form.Item name="subjectKind" label={s('chains.kind')} style={{ flex: '1 1 200px' }}>
            <Select options={KINDS.map((kind) => ({ value: kind, label: s(`approvals.kind.${kind}`) }))} />
          </Form.Item>
          <Form.Item name="position" label={s('chains.position')} style={{ flex: '0 1 120px' }}>
            <InputNumber min={0} max={10000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="active" label={s('chains.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        <Form.Item name="conditions" label={s('chains.conditions')} rules={[json]}>
          <Input.TextArea rows={4} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="levels" label={s('chains.levels')} rules={[json]}>
          <Input.TextArea rows={10} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
