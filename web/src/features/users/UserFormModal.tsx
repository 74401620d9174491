import { useMutation } from '@apollo/client/react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { can } from '../../api/session';
import { describe, showFieldErrors } from '../../api/errors';
import { useI18n } from '../../i18n';
import type { AdminUserFragment, UserChoicesQuery as Choices } from '../../gql/graphql';
import { roleName, unitOptions } from './labels';
import { AssignRolesMutation, CreateUserMutation, UpdateUserMutation } from './operations';

interface Values {
  email: string;
  displayName: string;
  password?: string;
  roles: string[];
  orgUnitId?: string | null;
}

/** Create a user, or edit one's name, email, unit and roles; the API's field errors show at the
 * fields. Roles change through `assignRoles`, so only callers who may assign them see the field. */
export function UserFormModal({ user, choices, onClose }: { user: AdminUserFragment | null; choices?: Choices; onClose: () => void }) {
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [create, created] = useMutation(CreateUserMutation);
  const [update, updated] = useMutation(UpdateUserMutation);
  const [assign, assigned] = useMutation(AssignRolesMutation);
  const assignable = !user || can('identity:role:assign');

  async function submit(values: Values) {
    setProblem(null);
    try {
      if (!user) {
        const input = { ...values, email: values.email.trim(), displayName: values.displayName.trim(), orgUnitId: values.orgUnitId ?? null };
        await create({ variables: { input: { ...input, password: values.password ?? '' } }, refetchQueries: ['AdminUsers'] });
        message.success(t('users.created'));
      } else {
        const changed = (field: 'email' | 'displayName') => (values[field].trim() !== user[field] ? values[field].trim() : null);
        const unit = values.orgUnitId ?? null;
        await update({
          variables: {
            id: user.id,
            input: { email: changed('email'), displayName: changed('displayName'), ...(unit !== (user.orgUnit?.id ?? null) && { orgUnitId: unit }) },
          },
        });
        if (assignable && [...values.roles].sort().join() !== [...user.roles].sort().join()) {
          await assign({ variables: { userId: user.id, roles: values.roles } });
        }
        message.success(t('form.saved'));
      }
      onClose();
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  return (
    <Modal
      open
      title={user ? t('users.edit') : t('users.new')}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={created.loading || updated.loading || assigned.loading}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={user ? { ...user, orgUnitId: user.orgUnit?.id ?? null } : { roles: [] }}
      >
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('users.displayName') }) }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('users.email') }) }]}>
          <Input inputMode="email" autoComplete="off" />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')} rules={[{ required: true, message: t('form.required', { field: t('users.password') }) }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {assignable && (
          <Form.Item name="roles" label={t('users.roles')}>
            <Select mode="multiple" optionFilterProp="label" options={choices?.roles.map((r) => ({ value: r.key, label: roleName(language, r) }))} />
          </Form.Item>
        )}
        <Form.Item name="orgUnitId" label={t('users.unit')}>
          <Select allowClear showSearch optionFilterProp="name" options={unitOptions(choices?.orgUnits ?? [])} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
