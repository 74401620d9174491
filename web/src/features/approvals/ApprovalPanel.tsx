import { useMutation } from '@apollo/client/react';
import { App, Button, Card, Flex, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { TextDialog } from '../../components/TextDialog';
import type { ApprovalFieldsFragment } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { useSession } from '../auth/useSession';
import { ApproveMutation, RejectMutation } from './operations';
import { strings } from './strings';

const when = (iso: string) => new Date(iso).toLocaleString();
const COLORS: Record<string, string> = { PENDING: 'blue', APPROVED: 'green', REJECTED: 'red' };

/** Where an approval stands (level x of y, who it waits on) and its history; its approvers decide here. */
export function ApprovalPanel({ approval: a, onDecided }: { approval: ApprovalFieldsFragment; onDecided?: () => void }) {
  const s = useStrings(strings);
  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('approvals.card')}</h2>}
      extra={<Tag color={COLORS[a.status]}>{s(`approvals.status.${a.status}`)}</Tag>}
    >
      <Flex vertical gap={4} style={{ marginBottom: 12 }}>
        <Typography.Text>
          {s('approvals.levelOf', { level: a.level, count: a.levelCount })} · {s('approvals.chain', { name: a.chainName })}
        </Typography.Text>
        {a.status === 'PENDING' && (
          <Typography.Text type="secondary">
            {s('approvals.waitingOn', { names: a.currentApprovers.map((u) => u.displayName).join('、') })}
          </Typography.Text>
        )}
      </Flex>
      <ApprovalHistory approval={a} />
      <DecideButtons approval={a} onDecided={onDecided} />
    </Card>
  );
}

export function ApprovalHistory({ approval: a }: { approval: ApprovalFieldsFragment }) {
  const s = useStrings(strings);
  const color = (action: string) => (action === 'REJECTED' ? 'red' : action === 'APPROVED' ? 'green' : 'gray');
  return (
    <Timeline
      items={a.history.map((h, index) => ({
        key: index,
        color: color(h.action),
        children: (
          <>
            {s('approvals.level', { level: h.level })} · {s(`approvals.action.${h.action}`)}
            {h.actor && ` · ${h.actor.displayName}`}
            {h.onBehalfOf && s('approvals.onBehalf', { name: h.onBehalfOf.displayName })} · {when(h.at)}
            {h.comment && (
              <div>
                <Typography.Text type="secondary">{h.comment}</Typography.Text>
              </div>
            )}
          </>
        ),
      }))}
    />
  );
}

/** Approve or reject (a rejection asks for its reason); shown to the approvers the level waits on. The API
 * also lets a delegate decide, and refuses whoever submitted, owns or created the subject in its own words. */
export function DecideButtons({
  approval: a,
  always,
  onDecided,
}: {
  approval: ApprovalFieldsFragment;
  /** Shown whatever the caller's place (the list of what waits on them: a delegate's too). */
  always?: boolean;
  onDecided?: () => void;
}) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const me = useSession()?.sub;
  const [dialog, setDialog] = useState<'approve' | 'reject' | null>(null);
  const [approve] = useMutation(ApproveMutation);
  const [reject] = useMutation(RejectMutation);
  const mine = always || a.currentApprovers.some((u) => u.id === me);
  if (a.status !== 'PENDING' || !mine) return null;
  return (
    <>
      <Flex wrap gap={8}>
        <Button type="primary" onClick={() => setDialog('approve')}>
          {s('approvals.approve')}
        </Button>
        <Button danger onClick={() => setDialog('reject')}>
          {s('approvals.reject')}
        </Button>
      </Flex>
      <TextDialog
        title={dialog === 'reject' ? s('approvals.reject') : s('approvals.approve')}
        label={s('approvals.comment')}
        field="comment"
        required={dialog === 'reject'}
        open={dialog !== null}
        onClose={() => setDialog(null)}
        run={async (comment) => {
          if (dialog === 'reject') await reject({ variables: { id: a.id, comment } });
          else await approve({ variables: { id: a.id, comment: comment.trim() || null } });
          void message.success(dialog === 'reject' ? s('approvals.rejected') : s('approvals.approved'));
          onDecided?.();
        }}
      />
    </>
  );
}
