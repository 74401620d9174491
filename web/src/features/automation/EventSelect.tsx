import { Select, Typography, type SelectProps } from 'antd';
import type { Language } from '../../i18n';
import { actionLabel, ENTITIES, pascal } from '../audit/labels';
import { eventsOf } from './definition';

/** A topic in the reader's words: its record type (`crm.sales.opportunity` → 商机), else that of its events
 * (`crm.automation.erp` → ERP 订单); an unknown one as it is. */
export function topicLabel(language: Language, topic: string): string {
  const record = pascal(topic.split('.').at(-1) ?? '');
  const events = pascal(eventsOf(topic)[0]?.type.split('.')[0] ?? '');
  return (ENTITIES[record] ?? ENTITIES[events])?.[language] ?? topic;
}

/** An event type in the reader's words (`opportunity.created` → 新建商机 / Opportunity created). */
export const typeLabel = actionLabel;

/** Topics or event types picked by their names in the reader's words, each key (as the API and the rule's JSON
 * name it) beside it in grey; typing finds either. */
export function EventSelect({
  keys,
  label,
  ...props
}: Omit<SelectProps<string>, 'options'> & { keys: string[]; label: (key: string) => string }) {
  return (
    <Select
      {...props}
      showSearch={{ optionFilterProp: 'search' }}
      options={keys.map((key) => ({ value: key, label: label(key), search: `${label(key)} ${key}` }))}
      optionRender={(option) => (
        <>
          {option.label} <Typography.Text type="secondary">{option.value}</Typography.Text>
        </>
      )}
    />
  );
}
