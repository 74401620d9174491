import { useMutation, useQuery } from '@apollo/client/react';
import { Form, Input, Select } from 'antd';
import { FormDialog } from '../../components/FormDialog';
import { TextDialog } from '../../components/TextDialog';
import type { TicketDetailFragment, TicketPriority, TicketType } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { PRIORITIES, TYPES, type Target } from './labels';
import { AssignTicketMutation, ChangeStatusMutation, ReviewMutation, ServiceTeamsQuery, UpdateTicketMutation } from './operations';
import { strings } from './strings';

type Ticket = TicketDetailFragment;
interface Props {
  ticket: Ticket;
  open: boolean;
  onClose: () => void;
}

/** A status change with its reason; resolving a complaint takes its root cause and resolution too
 * (saved first: the service resolves a complaint only with both). */
export function StatusDialog({ ticket, to, open, onClose }: Props & { to: Target | null }) {
  const s = useStrings(strings);
  const [update] = useMutation(UpdateTicketMutation);
  const [change] = useMutation(ChangeStatusMutation);
  const complaint = ticket.type === 'COMPLAINT' && to === 'RESOLVED';
  const title = to === 'OPEN' && ['RESOLVED', 'CLOSED'].includes(ticket.status) ? s('reopen') : to ? s(`to.${to}`) : '';
  type Values = { reason?: string; rootCause?: string; resolution?: string };
  async function run({ reason, rootCause, resolution }: Values) {
    if (complaint && (rootCause !== (ticket.rootCause ?? '') || resolution !== (ticket.resolution ?? ''))) {
      await update({ variables: { id: ticket.id, input: { rootCause, resolution } } });
    }
    await change({ variables: { id: ticket.id, status: to!, reason: reason?.trim() || null } });
  }
  return (
    <FormDialog<Values>
      title={title}
      open={open}
      onClose={onClose}
      initialValues={{ reason: '', rootCause: ticket.rootCause ?? '', resolution: ticket.resolution ?? '' }}
      run={run}
    >
      {() => (
        <>
          {complaint && (
            <>
              <Form.Item name="rootCause" label={s('rootCause')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              <Form.Item name="resolution" label={s('resolution')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </>
          )}
          <Form.Item name="reason" label={s('reason')}>
            <Input maxLength={500} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

/** To another team (the API picks its agent) or to an agent of the ticket's team. */
export function AssignDialog({ ticket, open, onClose }: Props) {
  const s = useStrings(strings);
  const teams = useQuery(ServiceTeamsQuery, { skip: !open });
  const [assign] = useMutation(AssignTicketMutation);
  type Values = { teamId?: string | null; assigneeId?: string | null };
  return (
    <FormDialog<Values>
      title={s('assign')}
      open={open}
      onClose={onClose}
      initialValues={{ teamId: ticket.teamId, assigneeId: ticket.assignee?.id ?? null }}
      run={({ teamId, assigneeId }) =>
        assign({
          variables: teamId !== ticket.teamId ? { id: ticket.id, teamId } : { id: ticket.id, assigneeId: assigneeId ?? null },
        })
      }
    >
      {(form) => (
        <>
          <Form.Item name="teamId" label={s('team')}>
            <Select
              loading={teams.loading}
              options={teams.data?.serviceTeams.map((team) => ({ value: team.id, label: team.name }))}
              onChange={() => form.setFieldValue('assigneeId', null)}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.teamId !== b.teamId}>
            {() => {
              const team = teams.data?.serviceTeams.find((t) => t.id === form.getFieldValue('teamId'));
              return (
                <Form.Item name="assigneeId" label={s('assignee')}>
                  <Select
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    options={team?.members.map((m) => ({ value: m.user.id, label: m.user.displayName }))}
                  />
                </Form.Item>
              );
            }}
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

/** Priority, type and tags. */
export function EditDialog({ ticket, open, onClose }: Props) {
  const s = useStrings(strings);
  const [update] = useMutation(UpdateTicketMutation);
  type Values = { priority: TicketPriority; type: TicketType; tags: string[] };
  return (
    <FormDialog<Values>
      title={s('edit')}
      open={open}
      onClose={onClose}
      initialValues={{ priority: ticket.priority, type: ticket.type, tags: ticket.tags }}
      run={(input) => update({ variables: { id: ticket.id, input } })}
    >
      {() => (
        <>
          <Form.Item name="priority" label={s('priority')}>
            <Select options={PRIORITIES.map((v) => ({ value: v, label: s(`priority.${v}`) }))} />
          </Form.Item>
          <Form.Item name="type" label={s('type')}>
            <Select options={TYPES.map((v) => ({ value: v, label: s(`type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="tags" label={s('tags')}>
            <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

/** A service manager's decision on a resolved complaint; the API's refusal is shown in its words. */
export function ReviewDialog({ ticket, approve, open, onClose }: Props & { approve: boolean }) {
  const s = useStrings(strings);
  const [review] = useMutation(ReviewMutation);
  return (
    <TextDialog
      title={approve ? s('approve') : s('sendBack')}
      label={s('comment')}
      field="comment"
      required={!approve}
      open={open}
      onClose={onClose}
      run={(comment) => review({ variables: { id: ticket.id, approve, comment: comment.trim() || null } })}
    />
  );
}
