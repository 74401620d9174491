import { Segmented } from 'antd';
import { useStrings } from '../../i18n';
import { strings } from './strings';

/** All the list, or only what no contact matched (a call or mail waiting for someone to see to it). */
export function UnmatchedOnly({ value, onChange }: { value: boolean; onChange: (only: boolean) => void }) {
  const s = useStrings(strings);
  return (
    <Segmented
      aria-label={s('list.show')}
      value={value ? '1' : ''}
      onChange={(next) => onChange(!!next)}
      options={[
        { value: '', label: s('list.all') },
        { value: '1', label: s('list.unmatchedOnly') },
      ]}
    />
  );
}
