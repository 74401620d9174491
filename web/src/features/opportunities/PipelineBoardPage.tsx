import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, Dropdown, Empty, Flex, Grid, Select, Skeleton, Space, Typography } from 'antd';
import { useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { apiErrors, describe } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import type { BoardCardFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import { CreateOpportunityDialog } from './CreateOpportunityDialog';
import { money } from './labels';
import { BoardQuery, MoveOpportunityMutation, PipelinesQuery } from './operations';
import { missingFor, requirableNamed, StageFieldsDialog, type Requirable } from './StageFieldsDialog';
import { strings } from './strings';

const LIMIT = 200;

interface Stage {
  id: string;
  name: string;
  requiredFields: string[];
}

/** The open opportunities of the default (or chosen) pipeline, one column per stage. A card moves
 * by dragging it or through its menu (keyboard and phones); a stage whose required fields the
 * opportunity lacks asks for them first and saves them with the move. Other refusals are shown as the
 * API words them. */
export default function PipelineBoardPage() {
  const { t } = useI18n();
  const phone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const pipelines = useQuery(PipelinesQuery);
  const list = pipelines.data?.pipelines ?? [];
  const pipeline = list.find((p) => p.id === params.get('pipelineId')) ?? list.find((p) => p.isDefault) ?? list[0];
  const { data, previousData, error, refetch } = useQuery(BoardQuery, {
    variables: { filter: { pipelineId: pipeline?.id ?? null, status: 'open' }, first: LIMIT },
    skip: !pipeline,
  });
  const [move] = useMutation(MoveOpportunityMutation);
  const [problem, setProblem] = useState<{ text: string; opportunity: BoardCardFragment } | null>(null);
  const [asking, setAsking] = useState<{ opportunity: BoardCardFragment; stage: Stage; fields: Requirable[] } | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const s = useStrings(strings);

  if (pipelines.error && !pipelines.data) return <ErrorState error={pipelines.error} retry={() => void pipelines.refetch()} />;
  if (!pipelines.data) return <Skeleton active />;
  const shown = data ?? previousData;
  const cards = shown?.opportunities.edges.map((e) => e.node) ?? [];
  const stages = [...(pipeline?.stages ?? [])].sort((a, b) => a.position - b.position);

  async function moveTo(opportunity: BoardCardFragment, stageId: string) {
    const stage = stages.find((s) => s.id === stageId);
    if (!stage || opportunity.stage.id === stageId) return;
    setProblem(null);
    const missing = missingFor(opportunity, stage.requiredFields);
    if (missing.length) {
      setAsking({ opportunity, stage, fields: missing });
      return;
    }
    setMoving(opportunity.id);
    try {
      await move({ variables: { id: opportunity.id, stageId } });
    } catch (failure) {
      // the board was stale: the API names a field the stage requires, so ask for it
      const lacking = requirableNamed(apiErrors(failure)[0]?.field);
      if (lacking) setAsking({ opportunity, stage, fields: [lacking] });
      else setProblem({ text: describe(failure, t), opportunity });
    } finally {
      setMoving(null);
    }
  }

  function drop(event: DragEvent, stageId: string) {
    event.preventDefault();
    const opportunity = cards.find((c) => c.id === event.dataTransfer.getData('text/plain'));
    if (opportunity) void moveTo(opportunity, stageId);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('board.title')}
        </Typography.Title>
        <Flex wrap gap={8} align="center">
          {list.length > 1 && (
            <Select
              aria-label={t('board.pipeline')}
              value={pipeline?.id}
              onChange={(id: string) => setParams({ pipelineId: id })}
              options={list.map((p) => ({ value: p.id, label: p.name }))}
              style={{ minWidth: 160 }}
            />
          )}
          <Link to="/opportunities?status=open">{t('board.list')}</Link>
          {can('sales:opportunity:create') && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {s('opp.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      {creating && <CreateOpportunityDialog open pipelineId={pipeline?.id} onClose={() => setCreating(false)} />}
      {problem && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={problem.text}
          closable
          onClose={() => setProblem(null)}
          action={<Link to={`/opportunities/${problem.opportunity.id}`}>{problem.opportunity.name}</Link>}
        />
      )}
      {asking && (
        <StageFieldsDialog
          opportunity={asking.opportunity}
          stage={asking.stage}
          fields={asking.fields}
          onClose={() => setAsking(null)}
        />
      )}
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {shown && shown.opportunities.totalCount > cards.length && (
        <Alert type="info" showIcon message={t('board.partial', { shown: cards.length, total: shown.opportunities.totalCount })} />
      )}
      <div
        style={{
          display: 'flex',
          flexDirection: phone ? 'column' : 'row',
          gap: 12,
          overflowX: phone ? undefined : 'auto',
          alignItems: 'stretch',
        }}
      >
        {stages.map((stage) => {
          const here = cards.filter((c) => c.stage.id === stage.id);
          const total = here.reduce((sum, c) => sum + Number(c.amount ?? 0), 0);
          return (
            <section
              key={stage.id}
              aria-label={stage.name}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => drop(e, stage.id)}
              style={{ flex: phone ? undefined : '1 0 240px', background: '#f5f5f5', borderRadius: 8, padding: 8 }}
            >
              <h2 style={{ fontSize: 15, margin: '4px 4px 8px' }}>
                {stage.name} <span style={{ fontWeight: 'normal' }}>({here.length})</span>
              </h2>
              <Typography.Text type="secondary" style={{ display: 'block', margin: '0 4px 8px' }}>
                {t('board.stageSum', { probability: stage.probability, amount: total.toLocaleString() })}
              </Typography.Text>
              <Flex vertical gap={8}>
                {here.map((o) => (
                  <Card
                    key={o.id}
                    size="small"
                    draggable={can('sales:opportunity:update')}
                    onDragStart={(e) => e.dataTransfer.setData('text/plain', o.id)}
                    loading={moving === o.id}
                    aria-label={o.name}
                    role="article"
                  >
                    <Link to={`/opportunities/${o.id}`} style={{ fontWeight: 600 }}>
                      {o.name}
                    </Link>
                    <div>{o.account.name}</div>
                    <Flex justify="space-between" wrap gap={4}>
                      <span>{money(o.amount, o.currency)}</span>
                      <span>{o.expectedCloseDate}</span>
                    </Flex>
                    <Flex justify="space-between" align="center" wrap gap={4}>
                      <Typography.Text type="secondary">{o.owner.displayName}</Typography.Text>
                      {can('sales:opportunity:update') && (
                        <Dropdown
                          trigger={['click']}
                          menu={{
                            items: stages
                              .filter((s) => s.id !== stage.id)
                              .map((s) => ({ key: s.id, label: s.name })),
                            onClick: ({ key }) => void moveTo(o, key),
                          }}
                        >
                          <Button size="small" aria-label={t('board.moveNamed', { name: o.name })}>
                            {t('board.move')}
                          </Button>
                        </Dropdown>
                      )}
                    </Flex>
                  </Card>
                ))}
                {!here.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.empty')} />}
              </Flex>
            </section>
          );
        })}
      </div>
    </Space>
  );
}
