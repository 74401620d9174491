import { useQuery } from '@apollo/client/react';
import { Flex, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import type { MessageKey } from '../../i18n/strings';
import { LEVELS, STAGES, stageLabel } from './labels';
import { ORDERS } from './listParams';
import { AccountCustomFieldsQuery } from './operations';

/** Classification, tags, custom values and sort of the accounts list; each change goes to the URL. */
export function AccountFilters({ change }: { change: (update: (next: URLSearchParams) => void) => void }) {
  const { t, language } = useI18n();
  const s = useStrings(strings);
  const [params] = useSearchParams();
  const fields = useQuery(AccountCustomFieldsQuery);
  const [customKey, setCustomKey] = useState<string | undefined>();

  const set = (name: string, value: string | null | undefined) =>
    change((next) => (value ? next.set(name, value) : next.delete(name)));
  const text = (name: string, label: MessageKey, placeholder: MessageKey, width = 140) => (
    <Input
      key={`${name}-${params.get(name) ?? ''}`}
      aria-label={t(label)}
      placeholder={t(placeholder)}
      defaultValue={params.get(name) ?? ''}
      onPressEnter={(e) => set(name, e.currentTarget.value.trim())}
      onBlur={(e) => e.currentTarget.value.trim() !== (params.get(name) ?? '') && set(name, e.currentTarget.value.trim())}
      style={{ flex: `0 1 ${width}px`, minWidth: 100 }}
    />
  );
  const custom = [...params].filter(([k]) => k.startsWith('cf.'));
  const definitions = fields.data?.customFields ?? [];
  const chosen = definitions.find((f) => f.key === customKey);
  const fieldLabel = (key: string) => {
    const found = definitions.find((f) => f.key === key);
    return found ? (language === 'en' ? found.label : found.labelZh || found.label) : key;
  };

  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={8}>
        <Input.Search
          key={`search-${params.get('search') ?? ''}`}
          aria-label={t('accounts.search')}
          placeholder={t('accounts.search')}
          defaultValue={params.get('search') ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 260px' }}
        />
        {text('industry', 'accounts.filterIndustry', 'accounts.industry')}
        {text('source', 'accounts.filterSource', 'accounts.source')}
        {text('province', 'accounts.filterProvince', 'accounts.province')}
        <Select
          aria-label={t('accounts.filterLevel')}
          placeholder={t('accounts.level')}
          allowClear
          value={params.get('level')}
          onChange={(value?: string) => set('level', value)}
          options={LEVELS.map((l) => ({ value: l, label: l }))}
          style={{ flex: '0 1 120px', minWidth: 100 }}
        />
        <Select
          aria-label={t('accounts.filterStage')}
          placeholder={t('accounts.stage')}
          allowClear
          value={params.get('lifecycleStage')}
          onChange={(value?: string) => set('lifecycleStage', value)}
          options={STAGES.map((s) => ({ value: s, label: stageLabel(t, s) }))}
          style={{ flex: '0 1 140px', minWidth: 100 }}
        />
        <Select
          mode="tags"
          aria-label={t('accounts.filterTags')}
          placeholder={t('accounts.tags')}
          value={params.getAll('tag')}
          onChange={(tags: string[]) =>
            change((next) => {
              next.delete('tag');
              tags.map((tag) => tag.trim()).filter(Boolean).forEach((tag) => next.append('tag', tag));
            })
          }
          open={false}
          suffixIcon={null}
          style={{ flex: '1 1 180px', minWidth: 120 }}
        />
        <Select
          aria-label={t('accounts.sort')}
          value={params.get('orderBy') ?? 'UPDATED_DESC'}
          onChange={(value: string) => set('orderBy', value === 'UPDATED_DESC' ? null : value)}
          options={ORDERS.map((o) => ({ value: o, label: s(`sort.${o}`) }))}
          style={{ flex: '0 1 140px', minWidth: 110 }}
        />
      </Flex>
      {definitions.length > 0 && (
        <Flex wrap gap={8} align="center">
          <Select
            aria-label={t('accounts.filterCustom')}
            placeholder={t('accounts.filterCustom')}
            allowClear
            value={customKey}
            onChange={setCustomKey}
            options={definitions.map((f) => ({ value: f.key, label: fieldLabel(f.key) }))}
            style={{ flex: '0 1 200px', minWidth: 140 }}
          />
          {chosen &&
            (chosen.options.length ? (
              <Select
                aria-label={t('accounts.customValue')}
                placeholder={t('accounts.customValue')}
                onChange={(value: string) => set(`cf.${chosen.key}`, value)}
                options={chosen.options.map((o) => ({ value: o, label: o }))}
                style={{ flex: '0 1 160px', minWidth: 120 }}
              />
            ) : (
              <Input
                aria-label={t('accounts.customValue')}
                placeholder={t('accounts.customValue')}
                onPressEnter={(e) => set(`cf.${chosen.key}`, e.currentTarget.value.trim())}
                style={{ flex: '0 1 160px', minWidth: 120 }}
              />
            ))}
          {custom.map(([k, v]) => (
            <Tag key={k} closable onClose={() => set(k, null)} closeIcon={<span aria-label={`${t('form.cancel')} ${fieldLabel(k.slice(3))}`}>×</span>}>
              {fieldLabel(k.slice(3))}: {v}
            </Tag>
          ))}
        </Flex>
      )}
    </Flex>
  );
}
