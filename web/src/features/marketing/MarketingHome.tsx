import { useQuery } from '@apollo/client/react';
import { Empty, List, Row, Skeleton, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ErrorState } from '../../components/ErrorState';
import { useStrings } from '../../i18n';
import { Panel } from '../dashboard/Panel';
import { CampaignTable } from './CampaignTable';
import { MarketingHomeQuery } from './operations';
import { strings } from './strings';

/** A marketer's home: their campaigns, their unit's budgets waiting for a decision and email
 * campaigns still sending; a marketing manager's: the budgets they decide and the sends. */
export default function MarketingHome({ me, manager }: { me: string; manager: boolean }) {
  const s = useStrings(strings);
  const { data, error, refetch } = useQuery(MarketingHomeQuery, {
    variables: {
      mine: { ownerId: me },
      waiting: { budgetStatus: ['SUBMITTED'] },
      email: { type: ['EMAIL'], status: ['APPROVED', 'RUNNING'] },
    },
  });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const waiting = data.waiting.edges.map((e) => e.node);
  // those whose approval waits on the caller at its current level
  const toApprove = waiting.filter((campaign) => campaign.budgetApproval?.currentApprovers.some((user) => user.id === me));
  const sending = data.sending.edges.map((e) => e.node).filter((campaign) => campaign.sentAt && campaign.sendProgress.queued > 0);

  return (
    <Row gutter={[16, 16]}>
      {!manager && (
        <Panel title={s('home.mine')} wide>
          <CampaignTable rows={data.mine.edges.map((e) => e.node)} />
          <Link to="/campaigns">{s('home.open')}</Link>
        </Panel>
      )}
      <Panel title={manager ? s('home.toApprove') : s('home.waiting')} wide={manager}>
        {(manager ? toApprove : waiting).length ? (
          <CampaignTable rows={manager ? toApprove : waiting} />
        ) : (
          <Empty description={s('home.none')} />
        )}
      </Panel>
      <Panel title={s('home.sending')}>
        {sending.length ? (
          <List
            dataSource={sending}
            renderItem={(campaign) => (
              <List.Item>
                <List.Item.Meta
                  title={<Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>}
                  description={
                    <Typography.Text type="secondary">
                      {s('home.progress', { ...campaign.sendProgress })}
                    </Typography.Text>
                  }
                />
              </List.Item>
            )}
          />
        ) : (
          <Empty description={s('home.none')} />
        )}
      </Panel>
    </Row>
  );
}
