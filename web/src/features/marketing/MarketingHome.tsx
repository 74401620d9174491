import { useQuery } from '@apollo/client/react';
import { Empty, List, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useStrings } from '../../i18n';
import { Loaded, Panel } from '../dashboard/Panel';
import { CampaignTable } from './CampaignTable';
import { BudgetsWaitingQuery, EmailSendsQuery, MyCampaignsQuery } from './operations';
import { strings } from './strings';

/** A marketer's home: their campaigns, their unit's budgets waiting for a decision and email
 * campaigns still sending; a marketing manager's: the budgets they decide and the sends. Each card asks
 * for its own, so one that fails leaves the others standing. */
export default function MarketingHome({ me, manager }: { me: string; manager: boolean }) {
  return (
    <Row gutter={[16, 16]}>
      {!manager && <Mine me={me} />}
      <Waiting me={me} manager={manager} />
      <Sending />
    </Row>
  );
}

function Mine({ me }: { me: string }) {
  const s = useStrings(strings);
  const result = useQuery(MyCampaignsQuery, { variables: { mine: { ownerId: me } } });
  return (
    <Panel title={s('home.mine')} wide>
      <Loaded result={result}>{({ mine }) => <CampaignTable rows={mine.edges.map((e) => e.node)} />}</Loaded>
      <Link to="/campaigns">{s('home.open')}</Link>
    </Panel>
  );
}

function Waiting({ me, manager }: { me: string; manager: boolean }) {
  const s = useStrings(strings);
  const result = useQuery(BudgetsWaitingQuery, { variables: { waiting: { budgetStatus: ['SUBMITTED'] } } });
  return (
    <Panel title={manager ? s('home.toApprove') : s('home.waiting')} wide={manager}>
      <Loaded result={result}>
        {({ waiting }) => {
          const rows = waiting.edges.map((e) => e.node);
          // a manager's: those whose approval waits on them at its current level
          const shown = manager ? rows.filter((campaign) => campaign.budgetApproval?.currentApprovers.some((user) => user.id === me)) : rows;
          return shown.length ? <CampaignTable rows={shown} /> : <Empty description={s('home.none')} />;
        }}
      </Loaded>
    </Panel>
  );
}

function Sending() {
  const s = useStrings(strings);
  const result = useQuery(EmailSendsQuery, { variables: { email: { type: ['EMAIL'], status: ['APPROVED', 'RUNNING'] } } });
  return (
    <Panel title={s('home.sending')}>
      <Loaded result={result}>
        {({ sending: found }) => {
          const sending = found.edges.map((e) => e.node).filter((campaign) => campaign.sentAt && campaign.sendProgress.queued > 0);
          return sending.length ? (
            <List
              dataSource={sending}
              renderItem={(campaign) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Link to={`/campaigns/${campaign.id}`}>{campaign.name}</Link>}
                    description={<Typography.Text type="secondary">{s('home.progress', { ...campaign.sendProgress })}</Typography.Text>}
                  />
                </List.Item>
              )}
            />
          ) : (
            <Empty description={s('home.none')} />
          );
        }}
      </Loaded>
    </Panel>
  );
}
