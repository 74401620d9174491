import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Flex, Form, Input, Radio, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { EmailTemplateFieldsFragment } from '../../gql/graphql';
import { useI18n, useStrings, type Language } from '../../i18n';
import { ContactPicker } from './ContactPicker';
import { EmailTemplatesQuery, PreviewTemplateQuery, SaveTemplateMutation } from './operations';
import { strings } from './strings';

interface Values {
  name: string;
  subjectZh: string;
  htmlZh: string;
  textZh: string;
  subjectEn: string;
  htmlEn: string;
  textEn: string;
}

/** An email template in Chinese and optionally English, with the merge fields it may use, and its
 * preview as the API renders it (merge fields escaped) in a sandboxed frame that runs no script. */
export default function TemplateEditorPage() {
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(EmailTemplatesQuery);
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const template = id ? data.emailTemplates.find((found) => found.id === id) : null;
  if (id && !template) return <ErrorState error={error} />;
  return <Editor template={template ?? null} mergeFields={data.emailMergeFields} />;
}

function Editor({ template, mergeFields }: { template: EmailTemplateFieldsFragment | null; mergeFields: string[] }) {
  const s = useStrings(strings);
  const { t, language: consoleLanguage } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [language, setLanguage] = useState<Language>(consoleLanguage);
  const [contactId, setContactId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(SaveTemplateMutation, { refetchQueries: ['EmailTemplates'] });
  const [preview, previewed] = useLazyQuery(PreviewTemplateQuery, { fetchPolicy: 'network-only' });
  const editable = can(template ? 'marketing:template:update' : 'marketing:template:create');

  function input(values: Values) {
    const optional = (value: string) => value.trim() || null;
    return { ...values, subjectEn: optional(values.subjectEn), htmlEn: optional(values.htmlEn), textEn: optional(values.textEn) };
  }

  /** A field error of the language not shown switches to it. */
  function failed(failure: unknown) {
    const left = showFieldErrors(form, failure);
    const field = form.getFieldsError().find((f) => f.errors.length)?.name[0];
    if (typeof field === 'string') setLanguage(field.endsWith('En') ? 'en' : 'zh-CN');
    setProblem(left.length ? describe(failure, t) : null);
  }

  async function submit(values: Values) {
    setProblem(null);
    try {
      const saved = await save({ variables: { id: template?.id ?? null, input: input(values) } });
      void message.success(s('templates.saved'));
      navigate(`/marketing/templates/${saved.data!.saveEmailTemplate.id}`, { replace: true });
    } catch (failure) {
      failed(failure);
    }
  }

  async function show(previewLanguage: Language) {
    setProblem(null);
    const { error } = await preview({ variables: { input: input(form.getFieldsValue()), language: previewLanguage, contactId } });
    if (error) failed(error);
  }

  const shown = previewed.data?.previewEmailTemplate;
  const fields = (suffix: 'Zh' | 'En', visible: boolean) => (
    <div hidden={!visible}>
      <Form.Item
        name={`subject${suffix}`}
        label={s('templates.subject')}
        rules={suffix === 'Zh' ? [{ required: true, message: t('form.required', { field: s('templates.subject') }) }] : []}
      >
        <Input disabled={!editable} />
      </Form.Item>
      <Form.Item name={`html${suffix}`} label={s('templates.html')}>
        <Input.TextArea rows={8} disabled={!editable} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
      <Form.Item name={`text${suffix}`} label={s('templates.text')}>
        <Input.TextArea rows={5} disabled={!editable} style={{ fontFamily: 'monospace' }} />
      </Form.Item>
    </div>
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 960 }}>
      <Link to="/marketing/templates">{s('templates.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {template ? template.name : s('templates.new')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: template?.name ?? '',
          subjectZh: template?.subjectZh ?? '',
          htmlZh: template?.htmlZh ?? '',
          textZh: template?.textZh ?? '',
          subjectEn: template?.subjectEn ?? '',
          htmlEn: template?.htmlEn ?? '',
          textEn: template?.textEn ?? '',
        }}
      >
        <Form.Item name="name" label={s('templates.name')} rules={[{ required: true, message: t('form.required', { field: s('templates.name') }) }]}>
          <Input disabled={!editable} />
        </Form.Item>
        <Typography.Paragraph type="secondary">
          {s('templates.mergeFields', { fields: mergeFields.map((field) => `{{ ${field} }}`).join(' ') })}
        </Typography.Paragraph>
        <Radio.Group
          value={language}
          onChange={(e) => setLanguage(e.target.value as Language)}
          optionType="button"
          options={[
            { value: 'zh-CN', label: s('templates.zh') },
            { value: 'en', label: s('templates.en') },
          ]}
          style={{ marginBottom: 16 }}
        />
        {fields('Zh', language === 'zh-CN')}
        {fields('En', language === 'en')}
        <Flex wrap gap={8}>
          {editable && (
            <Button type="primary" htmlType="submit" loading={saving.loading}>
              {t('form.save')}
            </Button>
          )}
          <Button loading={previewed.loading} onClick={() => void show(language)}>
            {s('templates.preview')}
          </Button>
        </Flex>
      </Form>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('templates.preview')}</h2>}>
        <ContactPicker value={contactId} onChange={setContactId} label={s('campaign.contact')} />
        {shown && (
          <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
            <Typography.Text strong>{shown.subject}</Typography.Text>
            {/* no script, no same origin: what a recipient's mail client would show, and nothing more */}
            <iframe
              title={s('templates.previewFrame')}
              sandbox=""
              srcDoc={shown.html}
              style={{ width: '100%', height: 320, border: '1px solid #f0f0f0' }}
            />
            <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{shown.text}</pre>
          </Space>
        )}
      </Card>
    </Space>
  );
}
