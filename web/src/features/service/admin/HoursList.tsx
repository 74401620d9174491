import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Select } from 'antd';
import { useStrings } from '../../../i18n';
import { catalogue } from '../strings';
import { WEEKDAYS } from './choices';

/** A weekly pattern as form rows: a weekday with its start and end (HH:MM, 24:00 for midnight). */
export function HoursList({ name, label }: { name: string; label: string }) {
  const s = useStrings(catalogue);
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Form.Item label={label}>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} align="baseline" wrap>
              <Form.Item name={[field.name, 'weekday']} style={{ flex: '1 1 100px' }}>
                <Select aria-label={s('hours.weekday')} options={WEEKDAYS.map((d) => ({ value: d, label: s(`weekday.${d}`) }))} />
              </Form.Item>
              <Form.Item name={[field.name, 'start']} style={{ flex: '0 1 90px' }}>
                <Input aria-label={s('hours.start')} placeholder="09:00" maxLength={5} />
              </Form.Item>
              <Form.Item name={[field.name, 'end']} style={{ flex: '0 1 90px' }}>
                <Input aria-label={s('hours.end')} placeholder="18:00" maxLength={5} />
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} aria-label={s('admin.remove')} onClick={() => remove(field.name)} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weekday: 1, start: '09:00', end: '18:00' })}>
            {s('hours.add')}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}

/** Monday to Friday, nine to six: where a new calendar or roster starts. */
export const OFFICE_HOURS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));

/** Weekly rows as the API takes them. */
export function weeklyInput(rows: { weekday: number; start: string; end: string }[] | undefined) {
  return (rows ?? []).map(({ weekday, start, end }) => ({ weekday, start, end }));
}
