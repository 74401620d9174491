import { useMutation } from '@apollo/client/react';
import { App, Form, Input, Select } from 'antd';
import { FormDialog } from '../../components/FormDialog';
import type { ContactRowFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { CONTACT_ROLES } from './labels';
import { AccountQuery, CreateContactMutation, UpdateContactMutation } from './operations';
import { strings } from './strings';

interface Values {
  name: string;
  title?: string | null;
  role?: string | null;
  phone?: string | null;
  email?: string | null;
}

const FIELDS = ['name', 'title', 'role', 'phone', 'email'] as const;

/** Add a contact to the account, or edit one of its contacts (`contact`). Form items are named as the API
 * names its fields, so its errors (a bad phone, the same person twice) show next to them. An edit sends only
 * what changed, so a value the role sees masked is never written back masked. */
export function ContactFormDialog({
  accountId,
  contact,
  open,
  onClose,
}: {
  accountId: string;
  contact: ContactRowFragment | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const refresh = { refetchQueries: [AccountQuery], awaitRefetchQueries: true };
  const [create] = useMutation(CreateContactMutation, refresh);
  const [update] = useMutation(UpdateContactMutation, refresh);

  async function run(values: Values) {
    const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : (value ?? null));
    if (contact) {
      // a cleared field is sent empty (null would leave it as it is)
      const changed = FIELDS.filter((f) => (trimmed(values[f]) || null) !== (contact[f] || null));
      const input = Object.fromEntries(changed.map((f) => [f, trimmed(values[f]) ?? '']));
      if (changed.length) await update({ variables: { id: contact.id, input } });
      message.success(t('form.saved'));
    } else {
      const input = Object.fromEntries(FIELDS.map((f) => [f, trimmed(values[f]) || null]));
      await create({ variables: { input: { ...input, accountId } } });
      message.success(s('contacts.created'));
    }
  }

  const label = { name: s('contacts.name'), title: t('accounts.contactTitle'), role: s('contacts.role') };
  return (
    <FormDialog<Values>
      title={contact ? s('contacts.edit') : s('contacts.new')}
      okText={t('form.save')}
      open={open}
      onClose={onClose}
      initialValues={contact ? { ...contact } : { name: '', role: 'other' }}
      run={run}
    >
      {() => (
        <>
          <Form.Item
            name="name"
            label={label.name}
            rules={[{ required: true, whitespace: true, message: t('form.required', { field: label.name }) }]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
          <Form.Item name="title" label={label.title}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="role" label={label.role}>
            <Select options={CONTACT_ROLES.map((r) => ({ value: r, label: s(`contactRole.${r}`) }))} />
          </Form.Item>
          <Form.Item name="phone" label={t('accounts.phone')}>
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="email" label={t('accounts.email')}>
            <Input inputMode="email" />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
