/**
 * A rule's definition as the editor holds it and as the API takes it: each trigger kind and step
 * action sends only its own keys (the API refuses unknown ones), and empty values are left out so
 * that the API's defaults apply.
 */
import { EVENTS } from '../../gql-events';

export const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'exists', 'notExists', 'changed'] as const;
export const ACTIONS = ['create_task', 'notify', 'update_record', 'webhook', 'wait', 'branch'] as const;
export const TRIGGER_KINDS = ['event', 'schedule', 'date'] as const;
export const SERVICES = ['customer', 'sales', 'marketing', 'support'] as const;
export const END = 'end';

export type Condition = { field?: string; op?: string; value?: unknown; from?: unknown; to?: unknown };
export type Step = Record<string, unknown> & { id?: string; action?: string };
export type Definition = {
  trigger: Record<string, unknown> & { kind?: string; topic?: string; type?: string };
  conditions?: Condition[];
  steps: Step[];
};

const TRIGGER_KEYS: Record<string, string[]> = {
  event: ['kind', 'topic', 'type', 'conditions'],
  schedule: ['kind', 'cron'],
  date: ['kind', 'topic', 'type', 'field', 'offsetDays', 'atHour', 'conditions'],
};
const STEP_KEYS: Record<string, string[]> = {
  create_task: ['title', 'assignee', 'accountId', 'dueInHours', 'notes'],
  notify: ['user', 'title', 'body', 'link'],
  update_record: ['service', 'mutation', 'recordId', 'input'],
  webhook: ['url', 'secret', 'body'],
  wait: ['seconds', 'untilEvent'],
  branch: ['conditions', 'then', 'else'],
};

/** Drops undefined, null and empty text, keeping lists (an empty condition list is a value). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => [k, compact(v)]),
    );
  }
  return value;
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}

function condition(c: Condition): Condition {
  return c.op === 'changed' ? pick(c, ['field', 'op', 'from', 'to']) : ['exists', 'notExists'].includes(c.op ?? '') ? pick(c, ['field', 'op']) : pick(c, ['field', 'op', 'value']);
}

/** What `saveWorkflow` is sent for the editor's values. */
export function toApi(definition: Definition): Definition {
  const trigger = pick(definition.trigger ?? {}, TRIGGER_KEYS[definition.trigger?.kind ?? ''] ?? ['kind']);
  if (Array.isArray(trigger.conditions)) trigger.conditions = (trigger.conditions as Condition[]).map(condition);
  const steps = (definition.steps ?? []).map((step) => {
    const kept = pick(step, ['id', 'action', ...(STEP_KEYS[step.action ?? ''] ?? []), ...(step.action === 'branch' ? [] : ['next'])]);
    if (Array.isArray(kept.conditions)) kept.conditions = (kept.conditions as Condition[]).map(condition);
    const until = kept.untilEvent as { conditions?: Condition[] } | undefined;
    if (until?.conditions) kept.untilEvent = { ...until, conditions: until.conditions.map(condition) };
    return kept;
  });
  return compact({ trigger, conditions: (definition.conditions ?? []).map(condition), steps }) as Definition;
}

/** A new rule: a lead assigned gives its owner a task. */
export const BLANK: Definition = {
  trigger: { kind: 'event', topic: 'crm.sales.lead', type: 'lead.assigned', conditions: [] },
  conditions: [],
  steps: [{ id: 'task', action: 'create_task', title: '', assignee: '{{ event.ownerId }}', dueInHours: 24 }],
};

/** A step of an action with its required values present (empty), so the API's errors have a field to sit at. */
export function newStep(action: string, id: string): Step {
  const start: Record<string, Step> = {
    create_task: { title: '', assignee: '{{ event.ownerId }}', dueInHours: 24 },
    notify: { user: '{{ event.ownerId }}', title: '', body: '' },
    update_record: { service: 'sales', mutation: '', recordId: '{{ subject }}' },
    webhook: { url: '' },
    wait: { seconds: 3600 },
    branch: { conditions: [{ field: '', op: 'eq', value: '' }] },
  };
  return { id, action, ...start[action] };
}

export function eventsOf(topic: string | undefined) {
  return EVENTS.filter((e) => e.topic === topic);
}

/** A sample event for a dry run: the type's data fields with placeholder values. */
export function sampleEvent(topic: string | undefined, type: string | undefined): string {
  const found = EVENTS.find((e) => e.topic === topic && e.type === type);
  const data = found?.sample ?? {};
  return JSON.stringify({ topic, type, subject: (data as { id?: unknown }).id ?? null, data, previous: {} }, null, 2);
}

/** The paths a condition can compare: the event's fields, the record's before it, the earlier steps' results. */
export function fieldPaths(topic: string | undefined, type: string | undefined, stepIds: string[]): string[] {
  const fields = Object.keys(EVENTS.find((e) => e.topic === topic && e.type === type)?.sample ?? {});
  return [...fields.map((f) => `event.${f}`), ...fields.map((f) => `previous.${f}`), 'subject', ...stepIds.map((id) => `steps.${id}.outcome`)];
}
