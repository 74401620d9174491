import { AutoComplete, Button, Flex, Form, Input, Select } from 'antd';
import { useStrings } from '../../i18n';
import { OPS, type Condition } from './definition';
import { strings } from './strings';

/** A value typed as text: numbers, lists (`["A","B"]`), true and false are read as JSON, the rest stays text. */
export function ValueInput({ value, onChange, id, ...rest }: { value?: unknown; onChange?: (v: unknown) => void; id?: string; 'aria-label'?: string }) {
  const shown = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  function read(text: string): unknown {
    if (/^(-?\d+(\.\d+)?|true|false|\[.*\]|\{.*\})$/s.test(text.trim())) {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }
  return <Input id={id} value={shown} onChange={(e) => onChange?.(read(e.target.value))} aria-label={rest['aria-label']} />;
}

/**
 * Conditions as rows of field, comparison and value ("changed" takes a from and a to); `name` is the
 * list's path inside the enclosing list (if any), `path` its path in the whole form.
 */
export function ConditionList({ name, path, fields }: { name: (string | number)[]; path: (string | number)[]; fields: string[] }) {
  const s = useStrings(strings);
  const rows = (Form.useWatch(path) ?? []) as Condition[];
  const options = fields.map((f) => ({ value: f }));
  const cell = { style: { flex: '1 1 150px', marginBottom: 8, minWidth: 0 } };
  return (
    <Form.List name={name}>
      {(items, { add, remove }) => (
        <Flex vertical gap={4}>
          {items.map((item, i) => {
            const op = rows[item.name]?.op;
            return (
              <Flex key={item.key} wrap gap={8} align="flex-end" role="group" aria-label={s('cond.row', { n: i + 1 })}>
                <Form.Item name={[item.name, 'field']} label={s('cond.field')} {...cell}>
                  <AutoComplete
                    options={options}
                    placeholder={s('cond.fieldPlaceholder')}
                    filterOption={(input, option) => String(option?.value).includes(input)}
                  />
                </Form.Item>
                <Form.Item name={[item.name, 'op']} label={s('cond.op')} {...cell}>
                  <Select options={OPS.map((o) => ({ value: o, label: s(`op.${o}`) }))} />
                </Form.Item>
                {op === 'changed' ? (
                  <>
                    <Form.Item name={[item.name, 'from']} label={s('cond.from')} {...cell}>
                      <ValueInput />
                    </Form.Item>
                    <Form.Item name={[item.name, 'to']} label={s('cond.to')} {...cell}>
                      <ValueInput />
                    </Form.Item>
                  </>
                ) : (
                  op !== 'exists' &&
                  op !== 'notExists' && (
                    <Form.Item name={[item.name, 'value']} label={s('cond.value')} {...cell}>
                      <ValueInput />
                    </Form.Item>
                  )
                )}
                <Button type="link" danger onClick={() => remove(item.name)} style={{ marginBottom: 8 }}>
                  {s('cond.remove')}
                </Button>
              </Flex>
            );
          })}
          <Button onClick={() => add({ field: '', op: 'eq', value: '' })} style={{ alignSelf: 'flex-start' }}>
            {s('cond.add')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
