import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Descriptions, Flex, Form, Radio, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { apiErrors, describe, showFieldErrors } from '../../api/errors';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { strings, type Key } from './strings';
import type { MessageKey } from '../../i18n/strings';
import { AccountCustomFieldsQuery } from '../accounts/operations';
import { base64Of, csvHeaders } from './csv';
import { ImportAccountsMutation, ImportContactsMutation, ImportJobQuery } from './operations';

const FIELDS = {
  account: ['name', 'industry', 'size', 'province', 'city', 'address', 'website', 'level', 'source', 'tags', 'phone', 'email'],
  contact: ['name', 'account', 'title', 'role', 'phone', 'email', 'id_number'],
} as const;
const FIELD_LABELS: Record<string, MessageKey> = {
  account: 'opps.account',
  title: 'accounts.contactTitle',
};
const OWN_LABELS: Record<string, Key> = { role: 'import.role', id_number: 'import.idNumber' };

interface Chosen {
  file: File;
  format: 'csv' | 'xlsx';
  content: string;
  headers: string[];
}

interface Row {
  row: number;
  field?: string;
  message: string;
}

/** The import wizard: choose a CSV or XLSX file, map its columns to fields, then follow the job to its
 * per-row error report. The job's id is in the URL, so a reload keeps following it. */
export default function ImportPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const [form] = Form.useForm<{ entity: 'account' | 'contact'; duplicatePolicy: string; content?: string; mapping?: string }>();
  const entity = Form.useWatch('entity', form) ?? 'account';
  const [step, setStep] = useState(0);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const custom = useQuery(AccountCustomFieldsQuery, { skip: entity !== 'account' });
  const [importAccounts, startingAccounts] = useMutation(ImportAccountsMutation);
  const [importContacts, startingContacts] = useMutation(ImportContactsMutation);

  async function choose(file: File) {
    const format = file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    const content = format === 'csv' ? await file.text() : await base64Of(file);
    setChosen({ file, format, content, headers: format === 'csv' ? csvHeaders(content) : [] });
    setMapping({});
    form.setFields([{ name: 'content', value: file.name, errors: [] }]);
    return false; // read here, sent with the mutation
  }

  async function start() {
    const { entity: kind, duplicatePolicy } = form.getFieldsValue();
    setProblem(null);
    const input = {
      content: chosen!.content,
      format: chosen!.format,
      fileName: chosen!.file.name,
      duplicatePolicy,
      mapping: Object.entries(mapping)
        .filter(([, field]) => field)
        .map(([column, field]) => ({ column, field })),
    };
    try {
      const { data } =
        kind === 'contact' ? await importContacts({ variables: { input } }) : await importAccounts({ variables: { input } });
      const job = data && ('importContacts' in data ? data.importContacts : data.importAccounts);
      if (job) setParams({ job: job.id });
    } catch (failure) {
      const [left] = showFieldErrors(form, failure);
      if (apiErrors(failure).some((e) => e.field === 'content')) setStep(0);
      if (left) setProblem(describe(failure, t));
    }
  }

  if (jobId) return <ImportProgress id={jobId} again={() => setParams({})} />;
  const label = (field: string) =>
    field in OWN_LABELS ? s(OWN_LABELS[field]) : t((FIELD_LABELS[field] ?? `accounts.${field}`) as MessageKey);
  const options = [
    { value: '', label: s('import.auto') },
    ...FIELDS[entity].map((f) => ({ value: f, label: label(f) })),
    ...(entity === 'account' ? (custom.data?.customFields ?? []).map((f) => ({ value: `custom.${f.key}`, label: f.labelZh || f.label })) : []),
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('import.title')}
      </Typography.Title>
      <Steps
        size="small"
        current={step}
        responsive={false}
        items={[{ title: s('import.stepUpload') }, { title: s('import.stepMap') }, { title: s('import.stepRun') }]}
      />
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Card>
        <Form form={form} layout="vertical" initialValues={{ entity: 'account', duplicatePolicy: 'skip' }}>
          <div hidden={step !== 0}>
            <Form.Item name="entity" label={s('import.entity')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'account', label: s('import.accounts') },
                  { value: 'contact', label: s('import.contacts') },
                ]}
              />
            </Form.Item>
            <Form.Item name="duplicatePolicy" label={s('import.duplicates')}>
              <Select
                options={['skip', 'update', 'create'].map((p) => ({ value: p, label: s(`dup.${p}` as Key) }))}
                style={{ maxWidth: 240 }}
              />
            </Form.Item>
            <Form.Item name="content" label={s('import.file')} valuePropName="fileName">
              <Upload.Dragger accept=".csv,.xlsx" maxCount={1} showUploadList={false} beforeUpload={choose}>
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p>{chosen ? s('import.fileChosen', { name: chosen.file.name }) : s('import.fileHint')}</p>
              </Upload.Dragger>
            </Form.Item>
            <Button type="primary" disabled={!chosen} onClick={() => setStep(1)}>
              {s('import.next')}
            </Button>
          </div>
          <div hidden={step !== 1}>
            <Form.Item name="mapping" label={s('import.stepMap')}>
              {chosen?.format === 'csv' ? (
                <Flex vertical gap={8}>
                  {chosen.headers.map((column) => (
                    <Flex key={column} wrap gap={8} align="center">
                      <label htmlFor={`map-${column}`} style={{ flex: '1 1 120px', overflowWrap: 'anywhere' }}>
                        {column}
                      </label>
                      <Select
                        id={`map-${column}`}
                        aria-label={`${s('import.field')}: ${column}`}
                        value={mapping[column] ?? ''}
                        onChange={(value: string) => setMapping({ ...mapping, [column]: value })}
                        options={options}
                        style={{ flex: '1 1 180px', minWidth: 0 }}
                      />
                    </Flex>
                  ))}
                </Flex>
              ) : (
                <Typography.Text>{s('import.xlsxAuto')}</Typography.Text>
              )}
            </Form.Item>
            <Space wrap>
              <Button onClick={() => setStep(0)}>{s('import.back')}</Button>
              <Button type="primary" loading={startingAccounts.loading || startingContacts.loading} onClick={() => void start()}>
                {s('import.start')}
              </Button>
            </Space>
          </div>
        </Form>
      </Card>
    </Space>
  );
}

/** The job's counts while it runs (asked again each second) and its rejected rows with the API's reasons. */
function ImportProgress({ id, again }: { id: string; again: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { data, error, refetch, startPolling, stopPolling } = useQuery(ImportJobQuery, { variables: { id } });
  const job = data?.importJob;
  const running = !job || job.status === 'pending' || job.status === 'running';

  useEffect(() => {
    if (!running) return;
    startPolling(1000);
    return () => stopPolling();
  }, [running, startPolling, stopPolling]);

  if (error && !job) return <ErrorState error={error} retry={() => void refetch()} />;
  const rows = (Array.isArray(job?.errors) ? (job.errors as Row[]) : []).map((r, i) => ({ ...r, key: i }));
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('import.title')}
      </Typography.Title>
      <Steps
        size="small"
        current={2}
        responsive={false}
        items={[{ title: s('import.stepUpload') }, { title: s('import.stepMap') }, { title: s('import.stepRun') }]}
      />
      <Card>
        <Descriptions column={{ xs: 1, sm: 3 }} size="small">
          <Descriptions.Item label={t('leads.status')}>
            <span role="status">
              <Tag color={job?.status === 'failed' ? 'error' : undefined}>
                {s(`import.status.${job?.status ?? 'pending'}` as Key)}
              </Tag>
            </span>
          </Descriptions.Item>
          {(['processed', 'created', 'updated', 'skipped', 'failed'] as const).map((k) => (
            <Descriptions.Item key={k} label={s(`import.${k}`)}>
              {job ? job[`${k}Rows`] : 0}
            </Descriptions.Item>
          ))}
        </Descriptions>
        {job?.message && <Alert type="error" showIcon message={job.message} />}
        {!!job?.failedRows && <Alert type="warning" showIcon message={s('import.batchHint')} />}
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('import.errors')}</h2>}>
        <Table
          size="small"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: s('import.noErrors') }}
          columns={[
            { title: s('import.row'), dataIndex: 'row', width: 72 },
            { title: s('import.field'), dataIndex: 'field', width: 110 },
            { title: s('import.problem'), dataIndex: 'message' },
          ]}
        />
      </Card>
      <Button onClick={again} disabled={running}>
        {s('import.again')}
      </Button>
    </Space>
  );
}
