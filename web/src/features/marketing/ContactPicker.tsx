import { useQuery } from '@apollo/client/react';
import { Flex, Select } from 'antd';
import { useState } from 'react';
import { useStrings } from '../../i18n';
import { ConsentAccountsQuery } from './operations';
import { strings } from './strings';

/** A contact found through their account (searched by name, in Chinese or pinyin as the accounts
 * list searches), for the consent view and the template preview. */
export function ContactPicker({ value, onChange, label }: { value: string | null; onChange: (id: string | null) => void; label: string }) {
  const s = useStrings(strings);
  const [search, setSearch] = useState('');
  const [accountId, setAccountId] = useState<string | null>(null);
  const { data, loading } = useQuery(ConsentAccountsQuery, { variables: { search }, skip: !search.trim() });
  const accounts = data?.accounts.edges.map((e) => e.node) ?? [];
  const contacts = accounts.find((a) => a.id === accountId)?.contacts?.edges.map((e) => e.node) ?? [];
  return (
    <Flex wrap gap={8}>
      <Select
        aria-label={s('consent.searchAccount')}
        placeholder={s('consent.searchAccount')}
        showSearch
        filterOption={false}
        loading={loading}
        onSearch={setSearch}
        value={accountId}
        onChange={(id: string) => {
          setAccountId(id);
          onChange(null);
        }}
        options={accounts.map((a) => ({ value: a.id, label: a.name }))}
        style={{ flex: '1 1 220px' }}
      />
      <Select
        aria-label={label}
        placeholder={label}
        allowClear
        disabled={!accountId}
        value={value}
        onChange={(id?: string) => onChange(id ?? null)}
        options={contacts.map((c) => ({ value: c.id, label: c.name }))}
        style={{ flex: '1 1 180px' }}
      />
    </Flex>
  );
}
