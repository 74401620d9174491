import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Flex, Form, Input, Radio, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { ArticleDetailFragment } from '../../gql/graphql';
import { useI18n, useStrings, type Language } from '../../i18n';
import { categoryName } from './articles';
import { ArticleCategoriesQuery, ArticleQuery, PublishArticleMutation, SaveArticleMutation } from './operations';
import { catalogue } from './strings';

interface Values {
  titleZh: string;
  bodyZh: string;
  titleEn: string;
  bodyEn: string;
  categoryId?: string | null;
  tags: string[];
}

/** A new article or an article's draft: written in Chinese or English (both kept), saved as a draft and,
 * by a publisher, published. The route's `id` picks the article. */
export default function ArticleEditorPage() {
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(ArticleQuery, { variables: { id: id! }, skip: !id });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (id && !data) return <Skeleton active />;
  return <Editor article={data?.article ?? null} />;
}

function Editor({ article }: { article: ArticleDetailFragment | null }) {
  const s = useStrings(catalogue);
  const { t, language: consoleLanguage } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const draft = article?.draft;
  const [language, setLanguage] = useState<Language>(
    draft && !draft.titleZh && draft.titleEn ? 'en' : consoleLanguage,
  );
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const categories = useQuery(ArticleCategoriesQuery);
  const [save] = useMutation(SaveArticleMutation);
  const [publish] = useMutation(PublishArticleMutation, { refetchQueries: ['Articles'] });
  const mayPublish = can('support:article:publish');

  async function submit(andPublish: boolean) {
    setProblem(null);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const input = { ...values, categoryId: values.categoryId ?? null };
      const saved = await save({ variables: { id: article?.id ?? null, input }, refetchQueries: ['Articles'] });
      const savedId = saved.data!.saveArticle.id;
      if (andPublish) await publish({ variables: { id: savedId } });
      void message.success(andPublish ? s('kb.published') : s('kb.saved'));
      navigate(`/kb/${savedId}`);
    } catch (failure) {
      const left = showFieldErrors(form, failure);
      // a field of the other language is shown by switching to it
      const field = [...form.getFieldsError()].find((f) => f.errors.length)?.name[0];
      if (typeof field === 'string' && /En$/.test(field)) setLanguage('en');
      else if (typeof field === 'string' && /Zh$/.test(field)) setLanguage('zh-CN');
      if (left.length) setProblem(describe(failure, t));
    } finally {
      setSaving(false);
    }
  }

  const zh = language === 'zh-CN';
  // one title is enough, in either language; the API says so too
  const titled = (visible: boolean) =>
    visible
      ? [
          {
            validator: () =>
              `${form.getFieldValue('titleZh') ?? ''}${form.getFieldValue('titleEn') ?? ''}`.trim()
                ? Promise.resolve()
                : Promise.reject(new Error(t('form.required', { field: s('kb.fieldTitle') }))),
          },
        ]
      : [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 880 }}>
      <Link to={article ? `/kb/${article.id}` : '/kb'}>{s('kb.back')}</Link>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {article ? s('kb.editTitle') : s('kb.new')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          titleZh: draft?.titleZh ?? '',
          bodyZh: draft?.bodyZh ?? '',
          titleEn: draft?.titleEn ?? '',
          bodyEn: draft?.bodyEn ?? '',
          categoryId: article?.categoryId ?? undefined,
          tags: article?.tags ?? [],
        }}
      >
        <Form.Item label={s('kb.writingIn')}>
          <Radio.Group
            value={language}
            onChange={(e) => setLanguage(e.target.value as Language)}
            optionType="button"
            options={[
              { value: 'zh-CN', label: s('lang.zh-CN') },
              { value: 'en', label: s('lang.en') },
            ]}
          />
        </Form.Item>
        <Form.Item name="titleZh" label={s('kb.titleZh')} hidden={!zh} rules={titled(zh)}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="bodyZh" label={s('kb.bodyZh')} hidden={!zh}>
          <Input.TextArea rows={10} maxLength={50000} />
        </Form.Item>
        <Form.Item name="titleEn" label={s('kb.titleEn')} hidden={zh} rules={titled(!zh)}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="bodyEn" label={s('kb.bodyEn')} hidden={zh}>
          <Input.TextArea rows={10} maxLength={50000} />
        </Form.Item>
        <Form.Item name="categoryId" label={s('kb.category')}>
          <Select
            allowClear
            loading={categories.loading}
            options={categories.data?.articleCategories.map((c) => ({ value: c.id, label: categoryName(c, consoleLanguage) })) ?? []}
          />
        </Form.Item>
        <Form.Item name="tags" label={s('kb.tags')} extra={s('kb.tagsHint')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
        </Form.Item>
        <Flex wrap gap={8}>
          <Button type={mayPublish ? 'default' : 'primary'} loading={saving} onClick={() => void submit(false)}>
            {s('kb.saveDraft')}
          </Button>
          {mayPublish && (
            <Button type="primary" loading={saving} onClick={() => void submit(true)}>
              {s('kb.saveAndPublish')}
            </Button>
          )}
        </Flex>
      </Form>
    </Space>
  );
}
