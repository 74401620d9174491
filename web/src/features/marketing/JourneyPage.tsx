import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { Fragment, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { JourneyFieldsFragment, JourneyInput, JourneyQuery as JourneyData } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { JourneyChoicesQuery, JourneyQuery, PublishJourneyMutation, SaveJourneyMutation } from './operations';
import { strings } from './strings';

const STEP_TYPES = ['EMAIL', 'SMS', 'WAIT', 'BRANCH', 'ADD_TAG', 'REMOVE_TAG', 'TASK', 'LEAD', 'GOAL', 'EXIT'] as const;
const TRIGGERS = ['EVENT', 'FORM', 'DATE', 'SEGMENT'] as const;
const EVENTS = ['contact.created', 'contact.updated', 'lead.created'];

/** A journey: its steps as a flow with how many people are at each, and its draft's editor; a new
 * journey opens in the editor. */
export default function JourneyPage() {
  const { id } = useParams<{ id: string }>();
  const s = useStrings(strings);
  const [editing, setEditing] = useState(!id);
  const { data, error, refetch } = useQuery(JourneyQuery, { variables: { id: id! }, skip: !id });
  if (id && error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (id && !data) return <Skeleton active />;
  const journey = data?.journey ?? null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/marketing/journeys">{s('journeys.back')}</Link>
      {journey && data ? <Header journey={journey} onEdit={() => setEditing(true)} editing={editing} /> : null}
      {!journey && (
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('journeys.new')}
        </Typography.Title>
      )}
      {editing ? <Editor journey={journey} onSaved={() => setEditing(false)} /> : data && <Flow journey={data.journey} progress={data.journeyProgress} />}
    </Space>
  );
}

function Header({ journey, onEdit, editing }: { journey: JourneyFieldsFragment; onEdit: () => void; editing: boolean }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const [publish, publishing] = useMutation(PublishJourneyMutation, { refetchQueries: ['Journey', 'Journeys'] });

  async function publishIt() {
    try {
      await publish({ variables: { id: journey.id } });
      void message.success(s('journey.published'));
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {journey.name} <Tag>{s(`jstatus.${journey.status}`)}</Tag>
        {journey.liveVersion != null && <Tag>{s('journey.version', { version: journey.liveVersion })}</Tag>}
      </Typography.Title>
      <Flex wrap gap={8}>
        {!editing && can('marketing:journey:update') && <Button onClick={onEdit}>{s('journey.edit')}</Button>}
        {can('marketing:journey:publish') && (
          <Popconfirm title={s('journey.publishConfirm')} onConfirm={publishIt} okText={t('form.confirm')} cancelText={t('form.cancel')}>
            <Button type="primary" loading={publishing.loading}>
              {s('journey.publish')}
            </Button>
          </Popconfirm>
        )}
      </Flex>
    </Flex>
  );
}

/** The steps top to bottom, each with the people at it (every live version counted), and where
 * each goes next. */
function Flow({ journey, progress }: { journey: JourneyFieldsFragment; progress: JourneyData['journeyProgress'] }) {
  const s = useStrings(strings);
  const at = (key: string) =>
    progress.steps.filter((c) => c.step === key).reduce((sum, c) => ({ active: sum.active + c.active, waiting: sum.waiting + c.waiting }), { active: 0, waiting: 0 });
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('journey.flow')}</h2>}>
      <Typography.Paragraph>{s('journey.progress', { enrolled: progress.enrolled, active: progress.active, waiting: progress.waiting, finished: progress.finished, exited: progress.exited, goalReached: progress.goalReached })}</Typography.Paragraph>
      <ol aria-label={s('journey.flow')} style={{ listStyle: 'none', padding: 0, margin: 0, maxWidth: 520 }}>
        {journey.steps.map((step, i) => {
          const count = at(step.key);
          return (
            <Fragment key={step.key}>
              <li aria-label={step.key}>
                <Card size="small" styles={{ body: { padding: 12 } }}>
                  <Flex justify="space-between" wrap gap={8}>
                    <strong>{`${s(`jstep.${step.type}`)} · ${step.key}`}</strong>
                    <Tag>{s('journey.at', count)}</Tag>
                  </Flex>
                  {step.title && <div>{step.title}</div>}
                  {step.tag && <div>{step.tag}</div>}
                  {step.type === 'BRANCH' ? (
                    <Flex wrap gap={8} style={{ marginTop: 4 }}>
                      <Tag>{s('journey.yes', { step: step.yes ?? s('journey.end') })}</Tag>
                      <Tag>{s('journey.no', { step: step.no ?? s('journey.end') })}</Tag>
                    </Flex>
                  ) : (
                    <Typography.Text type="secondary">{s('journey.then', { step: step.next ?? s('journey.end') })}</Typography.Text>
                  )}
                  {step.timeoutNext && <Typography.Text type="secondary">{` · ${s('journey.timeout', { step: step.timeoutNext })}`}</Typography.Text>}
                </Card>
              </li>
              {i + 1 < journey.steps.length && (
                <li aria-hidden style={{ textAlign: 'center', fontSize: 18, lineHeight: '24px' }}>
                  ↓
                </li>
              )}
            </Fragment>
          );
        })}
      </ol>
    </Card>
  );
}

type StepValues = JourneyInput['steps'][number];
type Values = JourneyInput;

function formValues(journey: JourneyFieldsFragment | null): Values {
  if (!journey) return { name: '', campaignId: '', trigger: { type: 'EVENT', eventType: 'contact.created' }, steps: [{ key: 'welcome', type: 'EMAIL', dueDays: 1 }] };
  const { trigger } = journey;
  return {
    name: journey.name,
    campaignId: journey.campaignId,
    trigger: { type: trigger.type, eventType: trigger.eventType, segmentId: trigger.segmentId, offsetDays: trigger.offsetDays, campaignId: trigger.campaignId },
    steps: journey.steps.map(({ __typename, condition, ...step }) => ({
      ...step,
      condition: condition ? { kind: condition.kind, step: condition.step, field: condition.field, op: condition.op, value: condition.value } : null,
    })) as StepValues[],
  };
}

/** The draft's trigger and steps; the API names a wrong part (`steps[2].next`...) next to it. */
function Editor({ journey, onSaved }: { journey: JourneyFieldsFragment | null; onSaved: () => void }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<string | null>(null);
  const { data: choices } = useQuery(JourneyChoicesQuery);
  const [save, saving] = useMutation(SaveJourneyMutation, { refetchQueries: ['Journey', 'Journeys'] });
  const triggerType = Form.useWatch(['trigger', 'type'], form);
  const steps = (Form.useWatch('steps', form) ?? []) as StepValues[];
  const stepKeys = steps.map((step) => step?.key).filter(Boolean).map((key) => ({ value: key, label: key }));
  const mailSteps = steps.filter((step) => step?.type === 'EMAIL').map((step) => ({ value: step.key, label: step.key }));
  const templates = choices?.emailTemplates.map((tpl) => ({ value: tpl.id, label: tpl.name })) ?? [];
  const texts = choices?.smsTemplates.map((tpl) => ({ value: tpl.id, label: tpl.name })) ?? [];
  const campaigns = choices?.campaigns.edges.map(({ node }) => ({ value: node.id, label: node.name })) ?? [];

  async function submit(values: Values) {
    setProblem(null);
    try {
      const input: JourneyInput = {
        ...values,
        steps: values.steps.map((step) => ({ ...step, condition: step.type === 'BRANCH' ? step.condition : null })),
      };
      const saved = await save({ variables: { input, id: journey?.id ?? null } });
      void message.success(s('journey.saved'));
      if (!journey && saved.data) navigate(`/marketing/journeys/${saved.data.saveJourney.id}`, { replace: true });
      else onSaved();
    } catch (failure) {
      const left = showFieldErrors(form, failure);
      setProblem(left.length ? describe(failure, t) : null);
    }
  }

  const half = { style: { flex: '1 1 180px', marginBottom: 8 } };
  return (
    <Form form={form} layout="vertical" initialValues={formValues(journey)} onFinish={submit}>
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} />}
      <Card>
        <Flex wrap gap={8}>
          <Form.Item name="name" label={s('journey.name')} {...half}>
            <Input />
          </Form.Item>
          <Form.Item name="campaignId" label={s('journey.campaign')} {...half}>
            <Select showSearch optionFilterProp="label" options={campaigns} />
          </Form.Item>
        </Flex>
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {s('journey.trigger')}
        </Typography.Title>
        <Flex wrap gap={8}>
          <Form.Item name={['trigger', 'type']} label={s('journey.triggerType')} {...half}>
            <Select options={TRIGGERS.map((type) => ({ value: type, label: s(`jtrigger.${type}`) }))} />
          </Form.Item>
          {triggerType === 'EVENT' && (
            <Form.Item name={['trigger', 'eventType']} label={s('journey.eventType')} {...half}>
              <Select options={EVENTS.map((e) => ({ value: e, label: e }))} />
            </Form.Item>
          )}
          {triggerType === 'SEGMENT' && (
            <Form.Item name={['trigger', 'segmentId']} label={s('journey.segment')} {...half}>
              <Select showSearch optionFilterProp="label" options={choices?.segments.edges.map(({ node }) => ({ value: node.id, label: node.name })) ?? []} />
            </Form.Item>
          )}
          {triggerType === 'DATE' && (
            <Form.Item name={['trigger', 'offsetDays']} label={s('journey.offsetDays')} {...half}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          )}
          {triggerType === 'FORM' && (
            <Form.Item name={['trigger', 'campaignId']} label={s('journey.formCampaign')} {...half}>
              <Select allowClear showSearch optionFilterProp="label" options={campaigns} />
            </Form.Item>
          )}
        </Flex>
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          {s('journey.steps')}
        </Typography.Title>
        <Form.List name="steps">
          {(rows, { add, remove }) => (
            <Flex vertical gap={8}>
              {rows.map((row, i) => {
                const type = steps[row.name]?.type;
                return (
                  <Card
                    key={row.key}
                    size="small"
                    title={s('journey.step', { n: i + 1 })}
                    extra={
                      <Button type="link" danger onClick={() => remove(row.name)}>
                        {s('journey.removeStep')}
                      </Button>
                    }
                  >
                    <Flex wrap gap={8}>
                      <Form.Item name={[row.name, 'key']} label={s('journey.key')} {...half}>
                        <Input />
                      </Form.Item>
                      <Form.Item name={[row.name, 'type']} label={s('journey.type')} {...half}>
                        <Select options={STEP_TYPES.map((st) => ({ value: st, label: s(`jstep.${st}`) }))} />
                      </Form.Item>
                      {type === 'EMAIL' && (
                        <Form.Item name={[row.name, 'templateId']} label={s('journey.template')} {...half}>
                          <Select options={templates} />
                        </Form.Item>
                      )}
                      {type === 'SMS' && (
                        <Form.Item name={[row.name, 'templateId']} label={s('journey.smsTemplate')} {...half}>
                          <Select options={texts} />
                        </Form.Item>
                      )}
                      {type === 'WAIT' && (
                        <>
                          <Form.Item name={[row.name, 'waitSeconds']} label={s('journey.waitSeconds')} {...half}>
                            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
                          </Form.Item>
                          <Form.Item name={[row.name, 'waitEvent']} label={s('journey.waitEvent')} {...half}>
                            <Select allowClear options={['message.opened', 'message.clicked'].map((e) => ({ value: e, label: e }))} />
                          </Form.Item>
                          <Form.Item name={[row.name, 'timeoutNext']} label={s('journey.timeoutNext')} {...half}>
                            <Select allowClear options={stepKeys} />
                          </Form.Item>
                        </>
                      )}
                      {type === 'BRANCH' && (
                        <>
                          <Form.Item name={[row.name, 'condition', 'kind']} label={s('journey.conditionKind')} {...half}>
                            <Select options={(['OPENED', 'CLICKED'] as const).map((k) => ({ value: k, label: s(`jcond.${k}`) }))} />
                          </Form.Item>
                          <Form.Item name={[row.name, 'condition', 'step']} label={s('journey.conditionStep')} {...half}>
                            <Select allowClear options={mailSteps} />
                          </Form.Item>
                          <Form.Item name={[row.name, 'yes']} label={s('journey.yesStep')} {...half}>
                            <Select allowClear options={stepKeys} />
                          </Form.Item>
                          <Form.Item name={[row.name, 'no']} label={s('journey.noStep')} {...half}>
                            <Select allowClear options={stepKeys} />
                          </Form.Item>
                        </>
                      )}
                      {(type === 'ADD_TAG' || type === 'REMOVE_TAG') && (
                        <Form.Item name={[row.name, 'tag']} label={s('journey.tag')} {...half}>
                          <Input />
                        </Form.Item>
                      )}
                      {type === 'TASK' && (
                        <>
                          <Form.Item name={[row.name, 'title']} label={s('journey.taskTitle')} {...half}>
                            <Input />
                          </Form.Item>
                          <Form.Item name={[row.name, 'dueDays']} label={s('journey.dueDays')} {...half}>
                            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
                          </Form.Item>
                        </>
                      )}
                      {type && !['BRANCH', 'GOAL', 'EXIT'].includes(type) && (
                        <Form.Item name={[row.name, 'next']} label={s('journey.next')} {...half}>
                          <Select allowClear options={stepKeys} />
                        </Form.Item>
                      )}
                    </Flex>
                  </Card>
                );
              })}
              <Button onClick={() => add({ key: `step${rows.length + 1}`, type: 'WAIT', dueDays: 1 })} style={{ alignSelf: 'flex-start' }}>
                {s('journey.addStep')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={saving.loading} style={{ marginTop: 16 }}>
          {s('journey.save')}
        </Button>
      </Card>
    </Form>
  );
}
