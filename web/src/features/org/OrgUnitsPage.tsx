import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Col, Empty, Flex, Form, Input, List, Modal, Popconfirm, Row, Select, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { OrgUnitNodeFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
import { CreateOrgUnitMutation, DeleteOrgUnitMutation, OrgTreeQuery, UnitMembersQuery, UpdateOrgUnitMutation } from './operations';

const KINDS = ['company', 'department', 'team'] as const;

function tree(units: readonly OrgUnitNodeFragment[], parent: string | null): DataNode[] {
  return units.filter((u) => (u.parentId ?? null) === parent).map((u) => ({ key: u.id, title: u.name, children: tree(units, u.id) }));
}

/** The organisation as a tree; the chosen unit (in the URL) shows its members and, to those who
 * may, renaming, moving, deleting and adding units beneath it. */
export default function OrgUnitsPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const { data, error, refetch } = useQuery(OrgTreeQuery);
  const [adding, setAdding] = useState<string | null | false>(false);
  const [remove] = useMutation(DeleteOrgUnitMutation);
  const units = data?.orgUnits ?? [];
  const chosen = units.find((u) => u.id === params.get('unit'));

  async function deleteUnit(unit: OrgUnitNodeFragment) {
    try {
      await remove({ variables: { id: unit.id } });
      message.success(s('org.deleted'));
      setParams({});
      await refetch();
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('nav.org')}
        </Typography.Title>
        {/* the company is the tree's one root: a unit without a parent only while there is none */}
        {can('identity:org_unit:create') && data && units.length === 0 && <Button onClick={() => setAdding(null)}>{s('org.newRoot')}</Button>}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('org.tree')}</h2>}>
            {data && (
              <Tree
                aria-label={s('org.tree')}
                defaultExpandAll
                blockNode
                treeData={tree(units, null)}
                selectedKeys={chosen ? [chosen.id] : []}
                onSelect={([key]) => setParams(key ? { unit: String(key) } : {})}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={14}>
          {chosen ? (
            <UnitPanel
              key={chosen.id}
              unit={chosen}
              units={units}
              onAdd={() => setAdding(chosen.id)}
              onDelete={() => deleteUnit(chosen)}
            />
          ) : (
            <Card>
              <Empty description={s('org.choose')} />
            </Card>
          )}
        </Col>
      </Row>
      {adding !== false && (
        <NewUnitModal
          parentId={adding}
          onClose={(id) => {
            setAdding(false);
            if (id) setParams({ unit: id });
            void refetch();
          }}
        />
      )}
    </Space>
  );
}

function UnitPanel({ unit, units, onAdd, onDelete }: { unit: OrgUnitNodeFragment; units: readonly OrgUnitNodeFragment[]; onAdd: () => void; onDelete: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; parentId: string | null }>();
  const members = useQuery(UnitMembersQuery, { variables: { unitId: unit.id } });
  const [update, { loading }] = useMutation(UpdateOrgUnitMutation);
  const [problem, setProblem] = useState<string | null>(null);
  // a unit cannot move beneath itself or its own subtree
  const parents = units.filter((u) => !u.path.includes(unit.id));

  async function save(values: { name: string; parentId: string | null }) {
    setProblem(null);
    try {
      await update({
        variables: { id: unit.id, input: { name: values.name.trim(), ...((values.parentId ?? null) !== (unit.parentId ?? null) && { parentId: values.parentId ?? null }) } },
        refetchQueries: ['OrgTree'],
      });
      message.success(t('form.saved'));
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{unit.name}</h2>}
      extra={<Tag>{s(`org.kind.${unit.kind}` as Key)}</Tag>}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {unit.manager && <Typography.Text>{s('org.manager', { name: unit.manager.displayName })}</Typography.Text>}
        {can('identity:org_unit:update') && (
          <>
            {problem && <Alert type="error" showIcon role="alert" message={problem} />}
            <Form form={form} layout="vertical" onFinish={save} initialValues={{ name: unit.name, parentId: unit.parentId ?? null }}>
              <Form.Item name="name" label={s('org.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('org.name') }) }]}>
                <Input maxLength={200} />
              </Form.Item>
              {unit.parentId && (
                <Form.Item name="parentId" label={s('org.parent')}>
                  <Select options={parents.map((u) => ({ value: u.id, label: u.name }))} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={loading}>
                {t('form.save')}
              </Button>
            </Form>
          </>
        )}
        <Space wrap>
          {can('identity:org_unit:create') && <Button onClick={onAdd}>{s('org.newChild')}</Button>}
          {can('identity:org_unit:delete') && (
            <Popconfirm title={s('org.confirmDelete', { name: unit.name })} okText={t('form.confirm')} cancelText={t('form.cancel')} onConfirm={onDelete}>
              <Button danger>{s('org.delete')}</Button>
            </Popconfirm>
          )}
        </Space>
        <section aria-label={s('org.members')}>
          <Typography.Title level={3} style={{ fontSize: 15 }}>
            {s('org.membersCount', { count: members.data?.users.totalCount ?? 0 })}
          </Typography.Title>
          {members.error && <ErrorState error={members.error} />}
          <List
            loading={members.loading && !members.data}
            dataSource={members.data?.users.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: s('org.noMembers') }}
            renderItem={(user) => (
              <List.Item>
                <List.Item.Meta title={user.displayName} description={user.email} />
                {!user.isActive && <Tag>{t('users.inactive')}</Tag>}
              </List.Item>
            )}
          />
        </section>
      </Space>
    </Card>
  );
}

function NewUnitModal({ parentId, onClose }: { parentId: string | null; onClose: (id?: string) => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [form] = Form.useForm<{ name: string; kind: string }>();
  const [create, { loading }] = useMutation(CreateOrgUnitMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: { name: string; kind: string }) {
    try {
      const { data } = await create({ variables: { input: { name: values.name.trim(), kind: values.kind, parentId } } });
      onClose(data!.createOrgUnit.id);
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal open title={parentId ? s('org.newChild') : s('org.newRoot')} okText={t('form.save')} cancelText={t('form.cancel')} onOk={() => form.submit()} onCancel={() => onClose()} confirmLoading={loading}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'team' }}>
        <Form.Item name="name" label={s('org.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('org.name') }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="kind" label={s('org.kindLabel')}>
          <Select options={KINDS.map((k) => ({ value: k, label: s(`org.kind.${k}` as Key) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
