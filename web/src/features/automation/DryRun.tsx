import { useLazyQuery } from '@apollo/client/react';
import { Alert, Button, Card, Flex, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { useI18n, useStrings } from '../../i18n';
import { TestWorkflowQuery } from './operations';
import { TONE } from '../tickets/labels';
import { strings, wordOr } from './strings';

const shown = (value: unknown) => (value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** The saved draft tried on a sample event: which conditions held, with the values seen, and what each step would send. */
export function DryRun({ workflowId, sample }: { workflowId: string; sample: string }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const [text, setText] = useState(sample);
  const [problem, setProblem] = useState<string | null>(null);
  const [test, { data, loading, error }] = useLazyQuery(TestWorkflowQuery, { fetchPolicy: 'network-only' });
  const result = data?.testWorkflow;

  async function run() {
    setProblem(null);
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      setProblem(s('dry.badJson'));
      return;
    }
    await test({ variables: { id: workflowId, sample: event } });
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('dry.title')}</h2>}>
      <Typography.Paragraph type="secondary">{s('dry.hint')}</Typography.Paragraph>
      <Flex vertical gap={8}>
        <label htmlFor="dry-run-sample">{s('dry.sample')}</label>
        <Input.TextArea id="dry-run-sample" rows={8} value={text} onChange={(e) => setText(e.target.value)} style={{ fontFamily: 'monospace' }} />
        <Flex wrap gap={8}>
          <Button type="primary" loading={loading} onClick={() => void run()}>
            {s('dry.run')}
          </Button>
          <Button onClick={() => setText(sample)}>{s('dry.reset')}</Button>
        </Flex>
        {problem && <Alert type="error" showIcon role="alert" message={problem} />}
        {error && <Alert type="error" showIcon role="alert" message={describe(error, t)} />}
        {result && (
          <>
            <Alert role="status" showIcon type={result.matched ? 'success' : 'warning'} message={result.matched ? s('dry.matched') : s('dry.notMatched')} />
            <Table
              rowKey={(c) => `${c.field}:${c.op}`}
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={result.conditions}
              locale={{ emptyText: s('dry.noConditions') }}
              columns={[
                { title: s('cond.field'), dataIndex: 'field' },
                { title: s('cond.op'), dataIndex: 'op', render: (op: string) => wordOr(s, `op.${op}`, op) },
                { title: s('dry.actual'), dataIndex: 'actual', render: (v: unknown) => <code>{shown(v)}</code> },
                {
                  title: s('dry.result'),
                  dataIndex: 'matched',
                  render: (m: boolean) => <Tag color={m ? TONE.green : TONE.red}>{m ? s('dry.holds') : s('dry.fails')}</Tag>,
                },
              ]}
            />
            {result.steps.length > 0 && (
              <ol aria-label={s('dry.steps')} style={{ paddingLeft: 20, margin: 0 }}>
                {result.steps.map((step) => (
                  <li key={step.stepId} style={{ marginBottom: 8 }}>
                    <strong>{`${wordOr(s, `action.${step.action}`, step.action)} · ${step.stepId}`}</strong>
                    {step.error && <Alert type="error" showIcon message={step.error} style={{ marginTop: 4 }} />}
                    <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: '4px 0 0', background: '#fafafa', padding: 8 }}>
                      {JSON.stringify(step.would, null, 2)}
                    </pre>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </Flex>
    </Card>
  );
}
