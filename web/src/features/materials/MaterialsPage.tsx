import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Flex, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import type { MaterialFieldsFragment as Material, MaterialKind } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { MaterialCampaignsQuery, IssueMaterialMutation, MaterialsQuery, RestockMaterialMutation, SaveMaterialMutation } from './operations';
import { strings } from './strings';

type Dialog = { kind: 'save'; material: Material | null } | { kind: 'restock' | 'issue'; material: Material };

/** Brochures and gifts in stock: saved, restocked and issued to a campaign, whose costs then carry them. */
export default function MaterialsPage() {
  const s = useStrings(strings);
  const { data, loading, error, refetch } = useQuery(MaterialsQuery);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('materials.title')}
        </Typography.Title>
        {can('marketing:material:create') && (
          <Button type="primary" onClick={() => setDialog({ kind: 'save', material: null })}>
            {s('materials.new')}
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
        dataSource={data?.materials ?? []}
        expandable={{ expandedRowRender: (row) => <Issues material={row} /> }}
        columns={[
          { title: s('material.name'), dataIndex: 'name' },
          { title: s('material.kind'), key: 'kind', render: (_, row) => <Tag>{s(`kind.${row.kind}`)}</Tag> },
          { title: s('material.stock'), key: 'stock', align: 'right', render: (_, row) => `${row.stock} ${row.unit}` },
          { title: s('material.unitCost'), key: 'unitCost', align: 'right', responsive: ['sm'], render: (_, row) => `${row.unitCost} ${row.currency}` },
          { title: s('material.description'), dataIndex: 'description', responsive: ['lg'] },
          {
            title: '',
            key: 'actions',
            render: (_, row) => (
              <Flex wrap gap={4}>
                {can('marketing:material:issue') && (
                  <Button size="small" type="primary" disabled={row.stock === 0} onClick={() => setDialog({ kind: 'issue', material: row })}>
                    {s('materials.issue')}
                  </Button>
                )}
                {can('marketing:material:update') && (
                  <>
                    <Button size="small" onClick={() => setDialog({ kind: 'restock', material: row })}>
                      {s('materials.restock')}
                    </Button>
                    <Button size="small" onClick={() => setDialog({ kind: 'save', material: row })}>
                      {s('materials.edit')}
                    </Button>
                  </>
                )}
              </Flex>
            ),
          },
        ]}
      />
      {dialog?.kind === 'save' && <SaveDialog material={dialog.material} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'restock' && <RestockDialog material={dialog.material} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'issue' && <IssueDialog material={dialog.material} onClose={() => setDialog(null)} />}
    </Space>
  );
}

function Issues({ material }: { material: Material }) {
  const s = useStrings(strings);
  const campaigns = useQuery(MaterialCampaignsQuery);
  const names = new Map(campaigns.data?.campaigns.edges.map((e) => [e.node.id, e.node.name]));
  if (!material.issues.length) return <Typography.Text type="secondary">{s('materials.none')}</Typography.Text>;
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      title={() => s('material.issues')}
      dataSource={material.issues}
      columns={[
        { title: s('material.campaign'), key: 'campaign', render: (_, row) => <Link to={`/campaigns/${row.campaignId}`}>{names.get(row.campaignId) ?? s('material.campaign')}</Link> },
        { title: s('material.quantity'), dataIndex: 'quantity', align: 'right' },
        { title: s('material.cost'), key: 'cost', align: 'right', render: (_, row) => `${row.cost} ${material.currency}` },
        { title: s('material.issuedBy'), key: 'by', responsive: ['sm'], render: (_, row) => row.issuedBy?.displayName },
        { title: s('material.issuedAt'), key: 'at', responsive: ['sm'], render: (_, row) => new Date(row.issuedAt).toLocaleString() },
        { title: s('material.note'), dataIndex: 'note', responsive: ['md'] },
      ]}
    />
  );
}

interface SaveValues {
  name: string;
  kind: MaterialKind;
  unit: string;
  unitCost: string;
  currency: string;
  description: string;
}

function SaveDialog({ material, onClose }: { material: Material | null; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [save] = useMutation(SaveMaterialMutation, { refetchQueries: ['Materials'] });
  const m = material;
  const initial: SaveValues = {
    name: m?.name ?? '',
    kind: m?.kind ?? 'BROCHURE',
    unit: m?.unit ?? '件',
    unitCost: m?.unitCost ?? '',
    currency: m?.currency ?? 'CNY',
    description: m?.description ?? '',
  };
  return (
    <FormDialog<SaveValues>
      open
      title={m ? `${s('materials.edit')} ${m.name}` : s('materials.new')}
      okText={m ? s('materials.edit') : s('materials.new')}
      initialValues={initial}
      onClose={onClose}
      run={async (values) => {
        await save({ variables: { id: m?.id ?? null, input: { ...values, unitCost: values.unitCost.trim() } } });
        void message.success(s('materials.saved'));
      }}
    >
      {() => (
        <>
          <Form.Item name="name" label={s('material.name')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="kind" label={s('material.kind')}>
            <Select options={(['BROCHURE', 'GIFT'] as const).map((k) => ({ value: k, label: s(`kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="unit" label={s('material.unit')}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="unitCost" label={s('material.unitCost')}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="currency" label={s('material.currency')}>
            <Input maxLength={3} />
          </Form.Item>
          <Form.Item name="description" label={s('material.description')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

function RestockDialog({ material, onClose }: { material: Material; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [restock] = useMutation(RestockMaterialMutation);
  return (
    <FormDialog<{ quantity: number | null }>
      open
      title={`${s('materials.restock')} ${material.name}`}
      okText={s('materials.restock')}
      initialValues={{ quantity: null }}
      onClose={onClose}
      run={async ({ quantity }) => {
        await restock({ variables: { id: material.id, quantity: quantity ?? 0 } });
        void message.success(s('materials.restocked'));
      }}
    >
      {() => (
        <Form.Item name="quantity" label={s('material.quantity')}>
          <InputNumber precision={0} style={{ width: '100%' }} addonAfter={material.unit} />
        </Form.Item>
      )}
    </FormDialog>
  );
}

function IssueDialog({ material, onClose }: { material: Material; onClose: () => void }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { t } = useI18n();
  const campaigns = useQuery(MaterialCampaignsQuery);
  const [issue] = useMutation(IssueMaterialMutation, { refetchQueries: ['Campaign'] });
  return (
    <FormDialog<{ campaignId?: string; quantity: number | null; note: string }>
      open
      title={`${s('materials.issue')}: ${material.name}`}
      okText={s('materials.issue')}
      initialValues={{ quantity: null, note: '' }}
      onClose={onClose}
      run={async ({ campaignId, quantity, note }) => {
        await issue({ variables: { id: material.id, campaignId: campaignId!, quantity: quantity ?? 0, note: note || null } });
        void message.success(s('materials.issued'));
      }}
    >
      {() => (
        <>
          <Form.Item name="campaignId" label={s('material.campaign')} rules={[{ required: true, message: t('form.required', { field: s('material.campaign') }) }]}>
            <Select showSearch optionFilterProp="label" options={
                campaigns.data?.campaigns.edges
                  .filter((e) => e.node.status === 'APPROVED' || e.node.status === 'RUNNING')
                  .map((e) => ({ value: e.node.id, label: e.node.name })) ?? []
              } />
          </Form.Item>
          <Form.Item name="quantity" label={s('material.quantity')} extra={`${s('material.stock')}: ${material.stock} ${material.unit}`}>
            <InputNumber precision={0} style={{ width: '100%' }} addonAfter={material.unit} />
          </Form.Item>
          <Form.Item name="note" label={s('material.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
