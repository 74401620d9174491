import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ActiveUsersQuery, userOptions } from '../../api/users';
import { useI18n } from '../../i18n';
import { AccountsQuery, ReleaseToPoolMutation, TransferAccountsMutation } from './operations';

/** What can be done with the selected accounts: transfer them all (all or none, by the API), release them to
 * the pool, or merge two of them. */
export function BulkActions({ ids, done }: { ids: string[]; done: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'transfer' | 'release' | null>(null);
  if (!ids.length) return null;
  return (
    <Flex wrap gap={8} align="center" role="group" aria-label={t('accounts.selected', { count: ids.length })}>
      <Typography.Text strong>{t('accounts.selected', { count: ids.length })}</Typography.Text>
      {can('customer:account:transfer') && <Button onClick={() => setDialog('transfer')}>{t('accounts.transfer')}</Button>}
      {can('customer:pool:release') && <Button onClick={() => setDialog('release')}>{t('accounts.release')}</Button>}
      {can('customer:account:merge') && ids.length === 2 && (
        <Button onClick={() => navigate(`/accounts/merge?a=${ids[0]}&b=${ids[1]}`)}>{t('accounts.merge')}</Button>
      )}
      <OwnershipDialog
        kind={dialog}
        ids={ids}
        onClose={(changed) => {
          setDialog(null);
          if (changed) done();
        }}
      />
    </Flex>
  );
}

function OwnershipDialog({ kind, ids, onClose }: { kind: 'transfer' | 'release' | null; ids: string[]; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ toUserId?: string; reason: string }>();
  const users = useQuery(ActiveUsersQuery, { skip: kind !== 'transfer' });
  const [transfer, transferring] = useMutation(TransferAccountsMutation, { refetchQueries: [AccountsQuery] });
  const [release, releasing] = useMutation(ReleaseToPoolMutation);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit({ toUserId, reason }: { toUserId?: string; reason: string }) {
    setProblem(null);
    let released = 0;
    try {
      if (kind === 'transfer') {
        await transfer({ variables: { ids, to: toUserId!, reason: reason.trim() } });
        message.success(t('accounts.transferred', { count: ids.length }));
      } else {
        // the API releases one account at a time: say how many went before one was refused
        for (const id of ids) {
          await release({ variables: { id, reason: reason.trim() } });
          released += 1;
        }
        message.success(t('accounts.released', { count: released }));
      }
      onClose(true);
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      const prefix = released ? `${t('accounts.released', { count: released })}. ` : '';
      if (left || prefix) setProblem(prefix + describe(failure, t));
    }
  }

  const title = kind === 'transfer' ? t('accounts.transfer') : t('accounts.release');
  return (
    <Modal
      title={title}
      open={kind !== null}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={title}
      cancelText={t('form.cancel')}
      confirmLoading={transferring.loading || releasing.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} initialValues={{ reason: '' }}>
        {kind === 'transfer' && (
          <Form.Item
            name="toUserId"
            label={t('accounts.transferTo')}
            rules={[{ required: true, message: t('form.required', { field: t('accounts.transferTo') }) }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={users.loading}
              options={userOptions(users.data)}
            />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('accounts.reason')}
          rules={kind === 'release' ? [{ required: true, whitespace: true, message: t('form.required', { field: t('accounts.reason') }) }] : []}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
