import { useQuery } from '@apollo/client/react';
import { Button, Flex, Input, List, Select, Space, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { ListFooter } from '../../components/ListFooter';
import { useListParams } from '../../components/useListParams';
import type { ArticleStatus } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { ArticleCategoriesQuery, ArticlesQuery } from './operations';
import { LANGUAGES, categoryName, useCategoryName } from './articles';
import { catalogue } from './strings';

const FILTERS = ['search', 'categoryId', 'language', 'status'] as const;
const STATUSES: ArticleStatus[] = ['PUBLISHED', 'DRAFT'];

/** The knowledge base: published articles and the caller's drafts, searched in Chinese or English, by
 * category, language and status, all in the URL. */
export default function KnowledgeBasePage() {
  const s = useStrings(catalogue);
  const { language } = useI18n();
  const navigate = useNavigate();
  const { filter, set, page, after, hasPrevious } = useListParams(FILTERS);
  const variables = {
    filter: {
      search: filter.search,
      categoryId: filter.categoryId,
      language: filter.language,
      status: filter.status as ArticleStatus | null,
    },
    after,
  };
  const { data, previousData, loading, error, refetch } = useQuery(ArticlesQuery, { variables });
  const categories = useQuery(ArticleCategoriesQuery);
  const nameOf = useCategoryName(categories.data);
  const shown = data ?? previousData;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {s('kb.title')}
        </Typography.Title>
        {can('support:article:create') && (
          <Button type="primary" onClick={() => navigate('/kb/new')}>
            {s('kb.new')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search
          aria-label={s('kb.search')}
          placeholder={s('kb.search')}
          defaultValue={filter.search ?? ''}
          allowClear
          onSearch={(value) => set('search', value.trim())}
          style={{ flex: '1 1 260px' }}
        />
        <Select
          aria-label={s('kb.category')}
          placeholder={s('kb.category')}
          allowClear
          value={filter.categoryId}
          onChange={(value?: string) => set('categoryId', value ?? null)}
          options={categories.data?.articleCategories.map((c) => ({ value: c.id, label: categoryName(c, language) })) ?? []}
          style={{ flex: '0 1 160px' }}
        />
        <Select
          aria-label={s('kb.language')}
          placeholder={s('kb.language')}
          allowClear
          value={filter.language}
          onChange={(value?: string) => set('language', value ?? null)}
          options={LANGUAGES.map((l) => ({ value: l, label: s(`lang.${l}`) }))}
          style={{ flex: '0 1 120px' }}
        />
        <Select
          aria-label={s('kb.status')}
          placeholder={s('kb.status')}
          allowClear
          value={filter.status}
          onChange={(value?: string) => set('status', value ?? null)}
          options={STATUSES.map((v) => ({ value: v, label: s(`kb.status.${v}`) }))}
          style={{ flex: '0 1 120px' }}
        />
      </Flex>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      <List
        loading={loading}
        aria-label={s('kb.title')}
        dataSource={shown?.articles.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: s('kb.empty') }}
        renderItem={(article) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={`/kb/${article.id}`}>{article.title || article.draft?.titleZh || article.draft?.titleEn}</Link>}
              description={
                <Flex wrap gap={4} align="center">
                  <Tag color={article.status === 'PUBLISHED' ? 'blue' : 'default'}>{s(`kb.status.${article.status}`)}</Tag>
                  {article.version > 0 && <span>{s('kb.versionShort', { version: article.version })}</span>}
                  {nameOf(article.categoryId) && <span>· {nameOf(article.categoryId)}</span>}
                  {article.tags.map((tag) => (
                    <Tag key={tag}>{tag}</Tag>
                  ))}
                  <span>· {s('kb.votes', { helpful: article.helpfulCount, notHelpful: article.notHelpfulCount })}</span>
                </Flex>
              }
            />
          </List.Item>
        )}
      />
      <ListFooter
        total={shown ? s('kb.total', { count: shown.articles.totalCount }) : null}
        hasPrevious={hasPrevious}
        hasNext={!!shown?.articles.pageInfo.hasNextPage}
        onPage={(forward) => page(forward, shown?.articles.pageInfo.endCursor)}
      />
    </Space>
  );
}
