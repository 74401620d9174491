import { DislikeOutlined, LikeOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Collapse, Descriptions, Flex, Skeleton, Space, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { useCategoryName } from './articles';
import { ArticleCategoriesQuery, ArticleQuery, PublishArticleMutation, VoteArticleMutation } from './operations';
import { catalogue } from './strings';

/** One article as readers see it, with its helpful votes and every published version; those who may
 * change it edit the draft, and publishers publish it. */
export default function ArticlePage() {
  const s = useStrings(catalogue);
  const { t, language } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const { data, error, refetch } = useQuery(ArticleQuery, { variables: { id: id! } });
  const categories = useQuery(ArticleCategoriesQuery);
  const nameOf = useCategoryName(categories.data);
  const [vote, voting] = useMutation(VoteArticleMutation);
  const [publish, publishing] = useMutation(PublishArticleMutation);

  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const article = data.article;
  const published = article.status === 'PUBLISHED';
  const inLanguage = (zh: string, en: string) => (language === 'en' ? en || zh : zh || en);

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      void message.success(done);
    } catch (failure) {
      void message.error(describe(failure, t));
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/kb">{s('kb.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {article.title}
        </Typography.Title>
        <Space wrap>
          {article.draft && <Button onClick={() => navigate(`/kb/${article.id}/edit`)}>{s('kb.edit')}</Button>}
          {article.draft && can('support:article:publish') && (
            <Button
              type="primary"
              loading={publishing.loading}
              onClick={() => void act(() => publish({ variables: { id: article.id } }), s('kb.published'))}
            >
              {s('kb.publish')}
            </Button>
          )}
        </Space>
      </Flex>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={s('kb.status')}>
          <Tag color={published ? 'blue' : 'default'}>{s(`kb.status.${article.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={s('kb.version')}>{article.version}</Descriptions.Item>
        <Descriptions.Item label={s('kb.category')}>{nameOf(article.categoryId) ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={s('kb.tags')}>
          {article.tags.length ? article.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={s('kb.author')}>{article.author?.displayName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={s('kb.updatedAt')}>{new Date(article.updatedAt).toLocaleString()}</Descriptions.Item>
      </Descriptions>
      <Card>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{article.body}</Typography.Paragraph>
      </Card>
      {published && (
        <Flex wrap gap={8} align="center">
          <span>{s('kb.helpfulQuestion')}</span>
          <Button
            icon={<LikeOutlined />}
            disabled={voting.loading}
            onClick={() => void act(() => vote({ variables: { id: article.id, helpful: true } }), s('kb.voted'))}
          >
            {s('kb.helpful', { count: article.helpfulCount })}
          </Button>
          <Button
            icon={<DislikeOutlined />}
            disabled={voting.loading}
            onClick={() => void act(() => vote({ variables: { id: article.id, helpful: false } }), s('kb.voted'))}
          >
            {s('kb.notHelpful', { count: article.notHelpfulCount })}
          </Button>
        </Flex>
      )}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('kb.versions')}</h2>} size="small">
        {article.versions.length ? (
          <Collapse
            items={article.versions.map((v) => ({
              key: String(v.version),
              label: s('kb.versionLine', {
                version: v.version,
                at: v.publishedAt ? new Date(v.publishedAt).toLocaleString() : '—',
                by: v.publishedBy?.displayName ?? '—',
              }),
              children: (
                <>
                  <Typography.Text strong>{inLanguage(v.titleZh, v.titleEn)}</Typography.Text>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{inLanguage(v.bodyZh, v.bodyEn)}</Typography.Paragraph>
                </>
              ),
            }))}
          />
        ) : (
          <Typography.Text type="secondary">{s('kb.noVersions')}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}
