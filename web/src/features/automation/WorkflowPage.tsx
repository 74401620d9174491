import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Select, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { ConditionList } from './ConditionList';
import { BLANK, TRIGGER_KINDS, eventsOf, fieldPaths, newStep, sampleEvent, toApi, type Definition, type Step } from './definition';
import { DryRun } from './DryRun';
import { EventSelect, topicLabel, typeLabel } from './EventSelect';
import { PublishWorkflowMutation, SaveWorkflowMutation, TriggerTopicsQuery, WorkflowQuery } from './operations';
import { StepCard } from './StepCard';
import { strings } from './strings';

type Values = { name: string; description: string; definition: Definition };
const TRIGGER = ['definition', 'trigger'];

/** A rule: its trigger, conditions and steps edited as a list (the JSON beside it), saved as a draft
 * with the API's errors at their fields, published, and tried on a sample event. */
export default function WorkflowPage() {
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(WorkflowQuery, { variables: { id: id! }, skip: !id });
  const topics = useQuery(TriggerTopicsQuery, { skip: !!id });
  if (id && error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (id && !data) return <Skeleton active />;
  const workflow = data?.workflow ?? null;
  return (
    <Editor
      key={workflow?.updatedAt ?? 'new'}
      workflow={workflow}
      topics={data?.workflowTriggerTopics ?? topics.data?.workflowTriggerTopics ?? []}
    />
  );
}

type Workflow = { id: string; name: string; description: string; status: string; version: number; draft: unknown };

function Editor({ workflow, topics }: { workflow: Workflow | null; topics: string[] }) {
  const s = useStrings(strings);
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(SaveWorkflowMutation, { refetchQueries: ['Workflows'] });
  const [publish, publishing] = useMutation(PublishWorkflowMutation, { refetchQueries: ['Workflow', 'Workflows'] });
  const initial: Values = {
    name: workflow?.name ?? '',
    description: workflow?.description ?? '',
    definition: (workflow?.draft as Definition) ?? BLANK,
  };
  const definition = (Form.useWatch('definition', form) ?? initial.definition) as Definition;
  const trigger = definition.trigger ?? {};
  const steps = definition.steps ?? [];
  const ids = steps.map((step) => step?.id ?? '').filter(Boolean);
  const fields = fieldPaths(trigger.topic, trigger.type, ids);
  const editable = can(workflow ? 'automation:workflow:update' : 'automation:workflow:create');
  const half = { style: { flex: '1 1 200px', marginBottom: 8, minWidth: 0 } };

  async function submit(values: Values) {
    setProblem(null);
    try {
      const input = { name: values.name, description: values.description, definition: toApi(values.definition) };
      const saved = await save({ variables: { input, id: workflow?.id ?? null } });
      void message.success(s('workflow.saved'));
      if (!workflow && saved.data) navigate(`/automation/workflows/${saved.data.saveWorkflow.id}`, { replace: true });
    } catch (failure) {
      const left = showFieldErrors(form, failure);
      setProblem(left.length ? left.map((e) => e.message || describe(failure, t)).join(' ') : null);
    }
  }

  async function publishIt() {
    try {
      const done = await publish({ variables: { id: workflow!.id } });
      void message.success(s('workflow.published', { version: done.data?.publishWorkflow.version ?? '' }));
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/automation/workflows">{s('workflows.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {workflow ? workflow.name : s('workflows.new')}{' '}
          {workflow && <Tag>{s(`status.${workflow.status as 'DRAFT'}`)}</Tag>}
          {workflow && <Tag>{s('workflow.version', { version: workflow.version })}</Tag>}
        </Typography.Title>
        {workflow && can('automation:workflow:publish') && (
          <Popconfirm title={s('workflow.publishConfirm')} onConfirm={publishIt} okText={t('form.confirm')} cancelText={t('form.cancel')}>
            <Button type="primary" loading={publishing.loading}>
              {s('workflow.publish')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} disabled={!editable}>
        {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 12 }} />}
        <Card>
          <Flex wrap gap={8}>
            <Form.Item name="name" label={s('workflow.name')} {...half}>
              <Input />
            </Form.Item>
            <Form.Item name="description" label={s('workflow.description')} style={{ ...half.style, flex: '2 1 300px' }}>
              <Input />
            </Form.Item>
          </Flex>
          <Tabs
            items={[
              {
                key: 'steps',
                label: s('workflow.asSteps'),
                children: (
                  <Flex vertical gap={12}>
                    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                      {s('trigger.title')}
                    </Typography.Title>
                    <Flex wrap gap={8}>
                      <Form.Item name={[...TRIGGER, 'kind']} label={s('trigger.kind')} {...half}>
                        <Select
                          options={TRIGGER_KINDS.map((k) => ({ value: k, label: s(`trigger.${k}`) }))}
                          onChange={(kind: string) =>
                            form.setFieldValue(
                              TRIGGER,
                              kind === 'schedule'
                                ? { kind, cron: '0 1 * * *' }
                                : { kind, topic: trigger.topic, type: trigger.type, conditions: [], ...(kind === 'date' ? { field: '', offsetDays: -30, atHour: 1 } : {}) },
                            )
                          }
                        />
                      </Form.Item>
                      {trigger.kind === 'schedule' ? (
                        <Form.Item name={[...TRIGGER, 'cron']} label={s('trigger.cron')} extra={s('trigger.cronHint')} {...half}>
                          <Input />
                        </Form.Item>
                      ) : (
                        <>
                          <Form.Item name={[...TRIGGER, 'topic']} label={s('trigger.topic')} {...half}>
                            <EventSelect
                              keys={topics}
                              label={(topic) => topicLabel(language, topic)}
                              onChange={(topic: string) => form.setFieldValue([...TRIGGER, 'type'], eventsOf(topic)[0]?.type)}
                            />
                          </Form.Item>
                          <Form.Item name={[...TRIGGER, 'type']} label={s('trigger.type')} {...half}>
                            <EventSelect keys={eventsOf(trigger.topic).map((e) => e.type)} label={(type) => typeLabel(language, type)} />
                          </Form.Item>
                        </>
                      )}
                      {trigger.kind === 'date' && (
                        <>
                          <Form.Item name={[...TRIGGER, 'field']} label={s('trigger.field')} {...half}>
                            <Select showSearch options={fields.filter((f) => f.startsWith('event.')).map((f) => ({ value: f.slice(6), label: f.slice(6) }))} />
                          </Form.Item>
                          <Form.Item name={[...TRIGGER, 'offsetDays']} label={s('trigger.offsetDays')} extra={s('trigger.offsetHint')} {...half}>
                            <InputNumber precision={0} style={{ width: '100%' }} />
                          </Form.Item>
                          <Form.Item name={[...TRIGGER, 'atHour']} label={s('trigger.atHour')} {...half}>
                            <InputNumber min={0} max={23} precision={0} style={{ width: '100%' }} />
                          </Form.Item>
                        </>
                      )}
                    </Flex>
                    {trigger.kind !== 'schedule' && (
                      <div>
                        <Typography.Text strong>{s('trigger.conditions')}</Typography.Text>
                        <ConditionList name={[...TRIGGER, 'conditions']} path={[...TRIGGER, 'conditions']} fields={fields} />
                      </div>
                    )}
                    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                      {s('workflow.conditions')}
                    </Typography.Title>
                    <ConditionList name={['definition', 'conditions']} path={['definition', 'conditions']} fields={fields} />
                    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                      {s('workflow.steps')}
                    </Typography.Title>
                    <Form.List name={['definition', 'steps']}>
                      {(rows, { add, remove }) => (
                        <Flex vertical gap={8}>
                          {rows.map((row, i) => (
                            <StepCard
                              key={row.key}
                              index={i}
                              name={row.name}
                              step={steps[row.name] as Step}
                              later={ids.slice(i + 1)}
                              fields={fields}
                              topics={topics}
                              onRemove={() => remove(row.name)}
                            />
                          ))}
                          <Button onClick={() => add(newStep('notify', `step${rows.length + 1}`))} style={{ alignSelf: 'flex-start' }}>
                            {s('step.add')}
                          </Button>
                        </Flex>
                      )}
                    </Form.List>
                  </Flex>
                ),
              },
              {
                key: 'json',
                label: s('workflow.asJson'),
                children: (
                  <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', background: '#fafafa', padding: 12 }}>
                    {JSON.stringify(toApi(definition), null, 2)}
                  </pre>
                ),
              },
            ]}
          />
          {editable && (
            <Button type="primary" htmlType="submit" loading={saving.loading} style={{ marginTop: 16 }}>
              {s('workflow.save')}
            </Button>
          )}
        </Card>
      </Form>
      {workflow && <DryRun key={`${trigger.topic}/${trigger.type}`} workflowId={workflow.id} sample={sampleEvent(trigger.topic, trigger.type)} />}
    </Space>
  );
}
