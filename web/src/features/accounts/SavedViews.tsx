import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import { useSession } from '../auth/useSession';
import { filterOf, orderOf, paramsOf } from './listParams';
import { DeleteViewMutation, SavedViewsQuery, SaveViewMutation } from './operations';

/** Named filters and sorts of the accounts list, kept by the API per person (shared ones come from the unit). */
export function SavedViews() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const views = useQuery(SavedViewsQuery);
  const [remove] = useMutation(DeleteViewMutation, { refetchQueries: [SavedViewsQuery] });
  const [saving, setSaving] = useState(false);
  const chosen = views.data?.savedViews.find((v) => v.id === params.get('view'));

  function open(id?: string) {
    const view = views.data?.savedViews.find((v) => v.id === id);
    if (!view) return setParams({});
    const next = paramsOf((view.filter ?? {}) as Record<string, unknown>, view.orderBy);
    next.set('view', view.id);
    setParams(next);
  }

  async function drop() {
    try {
      await remove({ variables: { id: chosen!.id } });
      message.success(t('accounts.viewDeleted'));
      const next = new URLSearchParams(params);
      next.delete('view');
      setParams(next);
    } catch (failure) {
      message.error(describe(failure, t));
    }
  }

  return (
    <Flex wrap gap={8} align="center">
      <Select
        aria-label={t('accounts.views')}
        placeholder={t('accounts.views')}
        allowClear
        value={chosen?.id}
        onChange={open}
        loading={views.loading}
        options={views.data?.savedViews.map((v) => ({
          value: v.id,
          label: v.shared ? `${v.name} (${t('accounts.shared')})` : v.name,
        }))}
        style={{ flex: '0 1 220px', minWidth: 160 }}
      />
      <Button icon={<SaveOutlined />} onClick={() => setSaving(true)}>
        {t('accounts.saveView')}
      </Button>
      {chosen && chosen.owner?.id === session?.sub && (
        <Popconfirm title={t('accounts.deleteView')} onConfirm={() => void drop()} okText={t('accounts.deleteView')} cancelText={t('form.cancel')}>
          <Button icon={<DeleteOutlined />} aria-label={t('accounts.deleteView')} />
        </Popconfirm>
      )}
      <SaveViewModal open={saving} onClose={() => setSaving(false)} replacing={chosen?.owner?.id === session?.sub ? chosen : undefined} />
    </Flex>
  );
}

function SaveViewModal({
  open,
  onClose,
  replacing,
}: {
  open: boolean;
  onClose: () => void;
  replacing?: { id: string; name: string; shared: boolean };
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const [save, saving] = useMutation(SaveViewMutation, { refetchQueries: [SavedViewsQuery] });
  const [problem, setProblem] = useState<string | null>(null);

  async function submit({ name, shared }: { name: string; shared: boolean }) {
    setProblem(null);
    const { inPool, ...filter } = filterOf(params);
    const orderBy = orderOf(params);
    try {
      const { data } = await save({
        variables: {
          input: {
            list: 'accounts',
            name: name.trim(),
            shared,
            filter: inPool ? { ...filter, inPool } : filter,
            orderBy,
            id: replacing && replacing.name === name.trim() ? replacing.id : null,
          },
        },
      });
      message.success(t('accounts.viewSaved'));
      const next = new URLSearchParams(params);
      next.set('view', data!.saveView.id);
      setParams(next);
      onClose();
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (left) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal
      title={t('accounts.saveView')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={saving.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ name: replacing?.name ?? '', shared: replacing?.shared ?? false }}
      >
        <Form.Item
          name="name"
          label={t('accounts.viewName')}
          rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('accounts.viewName') }) }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="shared" valuePropName="checked">
          <Checkbox>{t('accounts.shareView')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
