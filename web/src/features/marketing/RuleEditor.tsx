import { Button, Card, Flex, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { SegmentField, SegmentMatch, SegmentOperator, SegmentRulesInput } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { strings } from './strings';

export interface ConditionValues {
  field: SegmentField;
  operator: SegmentOperator;
  value: string;
  values: string[];
  days: number | null;
  key: string;
}

export interface GroupValues {
  match: SegmentMatch;
  conditions?: ConditionValues[];
  groups?: GroupValues[];
}

const TEXT: SegmentOperator[] = ['EQUALS', 'NOT_EQUALS', 'IN'];
const LIST: SegmentOperator[] = ['CONTAINS', 'IN', 'IS_TRUE', 'IS_FALSE'];
const FLAG: SegmentOperator[] = ['IS_TRUE', 'IS_FALSE'];
const NUMBER: SegmentOperator[] = ['EQUALS', 'AT_LEAST', 'AT_MOST'];
const TIME: SegmentOperator[] = ['BEFORE', 'AFTER', 'WITHIN_LAST_DAYS', 'NOT_WITHIN_LAST_DAYS'];

/** The operators offered for each field (the API checks the pairing and names the operator if it
 * does not fit). */
const OPERATORS: Record<SegmentField, SegmentOperator[]> = {
  LEVEL: TEXT,
  INDUSTRY: TEXT,
  PROVINCE: TEXT,
  LIFECYCLE_STAGE: TEXT,
  CUSTOM: TEXT,
  TAGS: LIST,
  LOST_TO: LIST,
  OPEN_OPPORTUNITY: FLAG,
  OPENED_COUNT: NUMBER,
  CLICKED_COUNT: NUMBER,
  RESPONDED_COUNT: NUMBER,
  LAST_ORDER_AT: TIME,
  LAST_OPENED_AT: TIME,
  LAST_CLICKED_AT: TIME,
  LAST_RESPONDED_AT: TIME,
};
const FIELDS = Object.keys(OPERATORS) as SegmentField[];
const WINDOWS: SegmentOperator[] = ['WITHIN_LAST_DAYS', 'NOT_WITHIN_LAST_DAYS'];

export const NEW_CONDITION: ConditionValues = { field: 'LEVEL', operator: 'EQUALS', value: '', values: [], days: null, key: '' };

/** The API's rules from the form's: each condition carries only what its operator uses. */
export function rulesInput(group: GroupValues): SegmentRulesInput {
  return {
    match: group.match,
    conditions: (group.conditions ?? []).map((c) => ({
      field: c.field,
      operator: c.operator,
      value: c.operator === 'IN' || FLAG.includes(c.operator) || WINDOWS.includes(c.operator) ? null : (c.value ?? ''),
      values: c.operator === 'IN' ? (c.values ?? []) : null,
      days: WINDOWS.includes(c.operator) ? c.days : null,
      key: c.field === 'CUSTOM' ? (c.key ?? '') : null,
    })),
    groups: (group.groups ?? []).map(rulesInput),
  };
}

export function hasConditions(group: GroupValues | undefined): boolean {
  return !!group && ((group.conditions?.length ?? 0) > 0 || (group.groups ?? []).some(hasConditions));
}

/** Whether a condition has everything its operator needs (a value, values, a number of days, a
 * custom field's key), so that asking the API about it can only fail for what the user typed. */
export function conditionComplete(c: Partial<ConditionValues> | undefined): boolean {
  if (!c?.field || !c.operator) return false;
  if (c.field === 'CUSTOM' && !(c.key ?? '').trim()) return false;
  if (c.operator === 'IN') return (c.values ?? []).some((v) => String(v).trim());
  if (WINDOWS.includes(c.operator)) return typeof c.days === 'number' && c.days >= 1;
  if (FLAG.includes(c.operator)) return true;
  return !!(c.value ?? '').trim();
}

/** Every condition of the group and of its groups is complete, and there is at least one. */
export function rulesComplete(group: GroupValues | undefined): boolean {
  if (!group || !hasConditions(group)) return false;
  const all = (g: GroupValues): boolean => (g.conditions ?? []).every(conditionComplete) && (g.groups ?? []).every(all);
  return all(group);
}

/** Conditions (and, at the top, groups of conditions) all or any of which must hold; the form's
 * names are the API's, so its field errors land next to the condition they name. */
export function RuleEditor({ name, at, nested = false, disabled }: { name: (string | number)[]; at: (string | number)[]; nested?: boolean; disabled?: boolean }) {
  const s = useStrings(strings);
  return (
    <Flex vertical gap={8}>
      <Form.Item name={[...name, 'match']} label={s('segment.match')} style={{ marginBottom: 0 }}>
        <Radio.Group disabled={disabled} optionType="button" options={(['ALL', 'ANY'] as const).map((m) => ({ value: m, label: s(`match.${m}`) }))} />
      </Form.Item>
      <Form.List name={[...name, 'conditions']}>
        {(rows, { add, remove }) => (
          <>
            {rows.map((row) => (
              <Condition key={row.key} at={[...at, 'conditions', row.name]} name={row.name} remove={() => remove(row.name)} disabled={disabled} />
            ))}
            {!disabled && (
              <Button onClick={() => add({ ...NEW_CONDITION })} style={{ alignSelf: 'flex-start' }}>
                {s('segment.addCondition')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      {!nested && (
        <Form.List name={[...name, 'groups']}>
          {(groups, { add, remove }) => (
            <>
              {groups.map((group, i) => (
                <Card
                  key={group.key}
                  size="small"
                  title={s('segment.group', { n: i + 1 })}
                  extra={
                    !disabled && (
                      <Button type="link" danger onClick={() => remove(group.name)}>
                        {s('segment.removeGroup')}
                      </Button>
                    )
                  }
                >
                  <RuleEditor name={[group.name]} at={[...at, 'groups', group.name]} nested disabled={disabled} />
                </Card>
              ))}
              {!disabled && (
                <Button onClick={() => add({ match: 'ANY', conditions: [{ ...NEW_CONDITION }] })} style={{ alignSelf: 'flex-start' }}>
                  {s('segment.addGroup')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      )}
    </Flex>
  );
}

function Condition({ at, name, remove, disabled }: { at: (string | number)[]; name: number; remove: () => void; disabled?: boolean }) {
  const s = useStrings(strings);
  const form = Form.useFormInstance();
  const field = Form.useWatch<SegmentField | undefined>([...at, 'field'], form) ?? 'LEVEL';
  const operator = Form.useWatch<SegmentOperator | undefined>([...at, 'operator'], form) ?? 'EQUALS';
  const item = { style: { marginBottom: 0, flex: '1 1 140px' } };
  return (
    <Flex wrap gap={8} align="flex-start">
      <Form.Item name={[name, 'field']} {...item}>
        <Select
          aria-label={s('segment.field')}
          disabled={disabled}
          showSearch
          optionFilterProp="label"
          options={FIELDS.map((f) => ({ value: f, label: s(`sf.${f}`) }))}
          onChange={(next: SegmentField) => {
            if (!OPERATORS[next].includes(form.getFieldValue([...at, 'operator']) as SegmentOperator)) {
              form.setFieldValue([...at, 'operator'], OPERATORS[next][0]);
            }
          }}
        />
      </Form.Item>
      {field === 'CUSTOM' && (
        <Form.Item name={[name, 'key']} {...item}>
          <Input aria-label={s('segment.key')} placeholder={s('segment.key')} disabled={disabled} />
        </Form.Item>
      )}
      <Form.Item name={[name, 'operator']} {...item}>
        <Select aria-label={s('segment.operator')} disabled={disabled} options={OPERATORS[field].map((o) => ({ value: o, label: s(`op.${o}`) }))} />
      </Form.Item>
      {operator === 'IN' ? (
        <Form.Item name={[name, 'values']} {...item}>
          <Select aria-label={s('segment.values')} placeholder={s('segment.values')} mode="tags" open={false} tokenSeparators={[',', '，']} disabled={disabled} />
        </Form.Item>
      ) : WINDOWS.includes(operator) ? (
        <Form.Item name={[name, 'days']} {...item}>
          <InputNumber aria-label={s('segment.days')} placeholder={s('segment.days')} min={1} precision={0} style={{ width: '100%' }} disabled={disabled} />
        </Form.Item>
      ) : FLAG.includes(operator) ? null : (
        <Form.Item name={[name, 'value']} {...item}>
          <Input
            aria-label={s('segment.value')}
            placeholder={operator === 'BEFORE' || operator === 'AFTER' ? 'YYYY-MM-DD' : s('segment.value')}
            disabled={disabled}
          />
        </Form.Item>
      )}
      {!disabled && (
        <Button type="text" danger onClick={remove} aria-label={s('segment.removeCondition')}>
          ×
        </Button>
      )}
    </Flex>
  );
}
