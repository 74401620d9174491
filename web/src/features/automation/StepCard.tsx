import { Button, Card, Flex, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useI18n, useStrings } from '../../i18n';
import { ConditionList } from './ConditionList';
import { EventSelect, topicLabel, typeLabel } from './EventSelect';
import { ACTIONS, END, SERVICES, eventsOf, newStep, type Step } from './definition';
import { strings, wordOr } from './strings';

const STEPS = ['definition', 'steps'];

/** A JSON object typed as text (an update's input, a webhook's body); kept as text while it does not parse. */
function JsonInput({ value, onChange, id }: { value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const shown = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value, null, 2);
  return (
    <Input.TextArea
      id={id}
      rows={3}
      value={shown}
      onChange={(e) => {
        try {
          onChange?.(e.target.value.trim() ? JSON.parse(e.target.value) : undefined);
        } catch {
          onChange?.(e.target.value);
        }
      }}
      style={{ fontFamily: 'monospace' }}
    />
  );
}

/** One step of the list, in words first ("2. Notify · tell"), with the values its action takes. */
export function StepCard({ index, name, step, later, fields, topics, onRemove }: {
  index: number;
  name: number;
  step: Step;
  later: string[];
  fields: string[];
  topics: string[];
  onRemove: () => void;
}) {
  const s = useStrings(strings);
  const { language } = useI18n();
  const form = Form.useFormInstance();
  const action = step?.action ?? '';
  const half = { style: { flex: '1 1 200px', marginBottom: 8, minWidth: 0 } };
  const targets = [...later.map((id) => ({ value: id, label: id })), { value: END, label: s('step.end') }];
  const until = step?.untilEvent as { topic?: string } | undefined;
  const text = (key: string, label: string, wide = false) => (
    <Form.Item name={[name, key]} label={label} style={{ ...half.style, flex: wide ? '1 1 100%' : half.style.flex }}>
      <Input />
    </Form.Item>
  );

  return (
    <Card
      size="small"
      title={<h3 style={{ fontSize: 14, margin: 0 }}>{`${index + 1}. ${wordOr(s, `action.${action}`, action)} · ${step?.id ?? ''}`}</h3>}
      extra={
        <Button type="link" danger onClick={onRemove}>
          {s('step.remove')}
        </Button>
      }
    >
      <Flex wrap gap={8}>
        {text('id', s('step.id'))}
        <Form.Item name={[name, 'action']} label={s('step.action')} {...half}>
          <Select
            options={ACTIONS.map((a) => ({ value: a, label: s(`action.${a}`) }))}
            onChange={(next: string) => form.setFieldValue([...STEPS, name], newStep(next, step?.id ?? `step${index + 1}`))}
          />
        </Form.Item>
        {action === 'create_task' && (
          <>
            {text('title', s('step.title'), true)}
            {text('assignee', s('step.assignee'))}
            <Form.Item name={[name, 'dueInHours']} label={s('step.dueInHours')} {...half}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            {text('accountId', s('step.accountId'))}
            {text('notes', s('step.notes'), true)}
          </>
        )}
        {action === 'notify' && (
          <>
            {text('user', s('step.user'))}
            {text('title', s('step.title'))}
            {text('body', s('step.body'), true)}
            {text('link', s('step.link'))}
          </>
        )}
        {action === 'update_record' && (
          <>
            <Form.Item name={[name, 'service']} label={s('step.service')} {...half}>
              <Select options={SERVICES.map((v) => ({ value: v, label: v }))} />
            </Form.Item>
            {text('mutation', s('step.mutation'))}
            {text('recordId', s('step.recordId'))}
            <Form.Item name={[name, 'input']} label={s('step.input')} style={{ flex: '1 1 100%', marginBottom: 8 }}>
              <JsonInput />
            </Form.Item>
          </>
        )}
        {action === 'webhook' && (
          <>
            {text('url', s('step.url'), true)}
            {text('secret', s('step.secret'))}
          </>
        )}
        {action === 'wait' && (
          <>
            <Form.Item name={[name, 'seconds']} label={until ? s('step.timeout') : s('step.seconds')} {...half}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item label={s('step.untilEvent')} {...half}>
              <Switch
                aria-label={s('step.untilEvent')}
                checked={!!until}
                onChange={(on) => form.setFieldValue([...STEPS, name, 'untilEvent'], on ? { topic: '', type: '', conditions: [] } : undefined)}
              />
            </Form.Item>
            {until && (
              <>
                <Form.Item name={[name, 'untilEvent', 'topic']} label={s('trigger.topic')} {...half}>
                  <EventSelect keys={topics} label={(topic) => topicLabel(language, topic)} />
                </Form.Item>
                <Form.Item name={[name, 'untilEvent', 'type']} label={s('trigger.type')} {...half}>
                  <EventSelect keys={eventsOf(until.topic).map((e) => e.type)} label={(type) => typeLabel(language, type)} />
                </Form.Item>
                <div style={{ flex: '1 1 100%' }}>
                  <Typography.Text strong>{s('step.untilConditions')}</Typography.Text>
                  <ConditionList name={[name, 'untilEvent', 'conditions']} path={[...STEPS, name, 'untilEvent', 'conditions']} fields={fields} />
                </div>
              </>
            )}
          </>
        )}
        {action === 'branch' && (
          <>
            <div style={{ flex: '1 1 100%' }}>
              <Typography.Text strong>{s('step.branchIf')}</Typography.Text>
              <ConditionList name={[name, 'conditions']} path={[...STEPS, name, 'conditions']} fields={fields} />
            </div>
            <Form.Item name={[name, 'then']} label={s('step.then')} {...half}>
              <Select allowClear placeholder={s('step.nextDefault')} options={targets} />
            </Form.Item>
            <Form.Item name={[name, 'else']} label={s('step.else')} {...half}>
              <Select allowClear placeholder={s('step.end')} options={targets} />
            </Form.Item>
          </>
        )}
        {action && action !== 'branch' && (
          <Form.Item name={[name, 'next']} label={s('step.next')} {...half}>
            <Select allowClear placeholder={s('step.nextDefault')} options={targets} />
          </Form.Item>
        )}
      </Flex>
    </Card>
  );
}
