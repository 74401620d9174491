import { useMutation } from '@apollo/client/react';
import { App, AutoComplete, Flex, Form, Input } from 'antd';
import { useNavigate } from 'react-router-dom';
import { claims } from '../../api/session';
import { FormDialog } from '../../components/FormDialog';
import { useI18n, useStrings } from '../../i18n';
import { CreateLeadMutation } from './operations';
import { strings } from './strings';

interface Values {
  company: string;
  contactName: string;
  phone?: string;
  email?: string;
  title?: string;
  industry?: string;
  province?: string;
  city?: string;
  source?: string;
  notes?: string;
}

/** Sources a rep types by hand most often; any other is kept as typed. */
const TYPED_SOURCES = ['展会', '转介绍'];

const blank = (value: string | undefined) => value?.trim() || null;

/** A lead taken by hand. The API needs a phone or an email (naming `phone`) and refuses an open lead's phone or
 * email again (CONFLICT naming the field); both show next to their fields, and a duplicate may then be created
 * anyway, deliberately. The assignment rules pick the owner: the caller's own lead opens, one given to someone
 * else is announced. */
export function LeadFormDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [create] = useMutation(CreateLeadMutation);

  async function run(values: Values, allowDuplicate: boolean) {
    const { data } = await create({
      variables: {
        allowDuplicate,
        input: {
          company: values.company.trim(),
          contactName: values.contactName.trim(),
          phone: blank(values.phone),
          email: blank(values.email),
          title: blank(values.title),
          industry: blank(values.industry),
          province: blank(values.province),
          city: blank(values.city),
          source: blank(values.source),
          notes: blank(values.notes),
        },
      },
    });
    const lead = data!.createLead;
    onCreated();
    if (!lead.owner || lead.owner.id === claims()?.sub) {
      message.success(s('leads.created'));
      navigate(`/leads/${lead.id}`);
    } else {
      message.success(s('leads.createdFor', { owner: lead.owner.displayName }));
    }
  }

  const required = (label: string) => [{ required: true, whitespace: true, message: t('form.required', { field: label }) }];
  return (
    <FormDialog<Values>
      title={s('leads.new')}
      okText={t('form.save')}
      open
      onClose={onClose}
      initialValues={{ company: '', contactName: '', phone: '', email: '', title: '', industry: '', province: '', city: '', source: '', notes: '' }}
      run={run}
      overridable
      existing={(id) => `/leads/${id}`}
    >
      {() => (
        <>
          <Form.Item name="company" label={s('leads.company')} rules={required(s('leads.company'))}>
            <Input maxLength={200} autoFocus />
          </Form.Item>
          <Flex wrap gap={12}>
            <Form.Item name="contactName" label={s('leads.contactName')} rules={required(s('leads.contactName'))} style={{ flex: '1 1 180px' }}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="title" label={s('leads.contactTitle')} style={{ flex: '1 1 180px' }}>
              <Input maxLength={100} />
            </Form.Item>
          </Flex>
          <Flex wrap gap={12}>
            <Form.Item name="phone" label={t('accounts.phone')} extra={s('leads.phoneOrEmail')} style={{ flex: '1 1 180px' }}>
              <Input type="tel" inputMode="tel" maxLength={30} autoComplete="off" />
            </Form.Item>
            <Form.Item name="email" label={t('accounts.email')} style={{ flex: '1 1 180px' }}>
              <Input type="email" maxLength={254} autoComplete="off" />
            </Form.Item>
          </Flex>
          <Flex wrap gap={12}>
            <Form.Item name="industry" label={t('accounts.industry')} style={{ flex: '1 1 120px' }}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="province" label={t('accounts.province')} style={{ flex: '1 1 100px' }}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="city" label={t('accounts.city')} style={{ flex: '1 1 100px' }}>
              <Input maxLength={50} />
            </Form.Item>
          </Flex>
          <Form.Item name="source" label={t('leads.source')}>
            <AutoComplete
              options={TYPED_SOURCES.map((value) => ({ value }))}
              placeholder={s('leads.sourceHint')}
              maxLength={50}
            />
          </Form.Item>
          <Form.Item name="notes" label={s('leads.notes')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
