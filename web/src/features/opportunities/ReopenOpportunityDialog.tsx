import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { describe, showFieldErrors } from '../../api/errors';
import type { BoardCardFragment } from '../../gql/graphql';
import { useI18n, useStrings } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';
import { PipelinesQuery, ReopenOpportunityMutation } from './operations';
import { missingFor, requirableNamed, type Requirable } from './StageFieldsDialog';
import { strings } from './strings';

interface Values {
  stageId?: string;
}

interface Props {
  opportunity: BoardCardFragment;
  onClose: () => void;
  onReopened: () => void;
}

/** Reopen a won or lost deal at a stage of its pipeline. A closed deal's fields cannot be edited, so a stage
 * requiring what it lacks is offered disabled with what it needs; the API's refusals stay in the dialog. */
export function ReopenOpportunityDialog({ opportunity: o, onClose, onReopened }: Props) {
  const { t, language } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const pipelines = useQuery(PipelinesQuery);
  const [reopen, { loading }] = useMutation(ReopenOpportunityMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const pipeline = pipelines.data?.pipelines.find((p) => p.stages.some((stage) => stage.id === o.stage.id));
  const stages = [...(pipeline?.stages ?? [])]
    .sort((a, b) => a.position - b.position)
    .map((stage) => ({ ...stage, missing: missingFor(o, stage.requiredFields) }));
  const fields = (missing: Requirable[]) =>
    new Intl.ListFormat(language).format(missing.map((f) => t(`pipelines.field.${f}` as MessageKey)));

  async function submit({ stageId }: Values) {
    setProblem(null);
    try {
      await reopen({ variables: { id: o.id, stageId } });
      message.success(s('opp.reopened'));
      onReopened();
      onClose();
    } catch (failure) {
      // a requirement the page did not know of (the stage changed meanwhile) is said at the stage
      const left = showFieldErrors(form, failure).filter((e) => {
        const lacking = requirableNamed(e.field);
        if (lacking) form.setFields([{ name: 'stageId', errors: [s('reopen.needs', { fields: fields([lacking]) })] }]);
        return !lacking;
      });
      if (left.length) setProblem(describe(failure, t));
    }
  }

  const failed = problem ?? (pipelines.error && !pipelines.data ? describe(pipelines.error, t) : null);
  return (
    <Modal
      title={s('opp.reopen')}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={s('opp.reopen')}
      cancelText={t('form.cancel')}
      confirmLoading={loading}
      loading={!pipelines.data && !pipelines.error}
      destroyOnHidden
    >
      {failed && <Alert type="error" showIcon role="alert" message={failed} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>{s('opp.reopenConfirm', { name: o.name })}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        preserve={false}
        // the last stage it can enter: the pipeline's last when it has everything
        initialValues={{ stageId: stages.filter((stage) => !stage.missing.length).at(-1)?.id }}
      >
        <Form.Item name="stageId" label={t('opps.stage')} rules={[{ required: true, message: t('form.required', { field: t('opps.stage') }) }]}>
          <Select
            options={stages.map((stage) => ({
              value: stage.id,
              label: stage.missing.length ? s('reopen.option', { stage: stage.name, fields: fields(stage.missing) }) : stage.name,
              disabled: stage.missing.length > 0,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
