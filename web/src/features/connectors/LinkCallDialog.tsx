import { useMutation, useQuery } from '@apollo/client/react';
import { App, Form, Select, Typography } from 'antd';
import { useState } from 'react';
import { FormDialog } from '../../components/FormDialog';
import { useSettled } from '../../components/useSettled';
import { useI18n, useStrings } from '../../i18n';
import { ContactOptionsQuery, LinkCallMutation } from './operations';
import { strings } from './strings';

type Values = { contactId?: string };

/** Contacts found as the accounts list finds them (account, contact, pinyin initials), by account. */
function ContactSelect({ value, onChange, id }: { value?: string; onChange?: (id: string) => void; id?: string }) {
  const s = useStrings(strings);
  const [search, setSearch] = useState('');
  const settled = useSettled(search.trim(), 300);
  const { data, loading } = useQuery(ContactOptionsQuery, { variables: { search: settled }, skip: !settled });
  const options = (data?.accounts.edges ?? [])
    .filter(({ node }) => node.contacts?.edges.length)
    .map(({ node: account }) => ({
      label: account.name,
      title: account.name,
      options: (account.contacts?.edges ?? []).map(({ node: c }) => ({ value: c.id, label: `${c.name} · ${account.name}` })),
    }));
  return (
    <Select
      id={id}
      showSearch
      filterOption={false}
      placeholder={s('link.search')}
      loading={loading}
      onSearch={setSearch}
      value={value}
      onChange={onChange}
      options={options}
      notFoundContent={null}
    />
  );
}

/** An ended call no contact had the number of, put on the contact the caller picks (the API's errors at the field). */
export function LinkCallDialog({ call, onClose }: { call: { id: string; number?: string | null }; onClose: () => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [link] = useMutation(LinkCallMutation, { refetchQueries: ['Calls'] });

  async function run({ contactId }: Values) {
    await link({ variables: { id: call.id, contactId: contactId ?? '' } });
    void message.success(s('calls.linked'));
  }

  return (
    <FormDialog<Values> open title={s('calls.link')} okText={s('calls.link')} onClose={onClose} initialValues={{}} run={run}>
      {() => (
        <>
          <Typography.Paragraph>{s('link.hint', { number: call.number ?? '—' })}</Typography.Paragraph>
          <Form.Item name="contactId" label={s('link.contact')} rules={[{ required: true, message: t('form.required', { field: s('link.contact') }) }]}>
            <ContactSelect />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
