import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, List, Typography } from 'antd';
import { useState } from 'react';
import { describe } from '../../api/errors';
import { useI18n, useStrings } from '../../i18n';
import { LinkArticleMutation, SuggestArticlesQuery } from './operations';
import { strings } from './strings';

/** Knowledge-base articles already noted as answering the ticket, and those the API suggests for its subject. */
export function Articles({ ticketId, subject, linked, canLink }: { ticketId: string; subject: string; linked: { id: string; title: string }[]; canLink: boolean }) {
  const s = useStrings(strings);
  const { t } = useI18n();
  const suggested = useQuery(SuggestArticlesQuery, { variables: { subject } });
  const [link, linking] = useMutation(LinkArticleMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = new Set(linked.map((a) => a.id));
  const others = suggested.data?.suggestArticles.filter((a) => !ids.has(a.id)) ?? [];

  async function add(articleId: string) {
    setProblem(null);
    try {
      await link({ variables: { ticketId, articleId } });
    } catch (failure) {
      setProblem(describe(failure, t));
    }
  }

  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('articles')}</h2>}>
      {problem && <Alert type="error" showIcon role="alert" message={problem} style={{ marginBottom: 8 }} />}
      {linked.length > 0 && (
        <>
          <h3 style={{ fontSize: 14 }}>{s('linked')}</h3>
          <List size="small" dataSource={linked} renderItem={(a) => <List.Item>{a.title}</List.Item>} />
        </>
      )}
      <h3 style={{ fontSize: 14 }}>{s('suggested')}</h3>
      <List
        size="small"
        loading={suggested.loading}
        dataSource={others}
        locale={{ emptyText: s('noArticles') }}
        renderItem={(a) => (
          <List.Item
            actions={
              canLink
                ? [
                    <Button key="link" size="small" loading={linking.loading} onClick={() => void add(a.id)} aria-label={`${s('link')} ${a.title}`}>
                      {s('link')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={a.title}
              description={<Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{a.body}</Typography.Paragraph>}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
