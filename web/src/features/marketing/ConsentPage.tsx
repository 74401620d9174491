import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Descriptions, Empty, Flex, Form, Input, Radio, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { FormDialog } from '../../components/FormDialog';
import type { ConsentChannel } from '../../gql/graphql';
import { useStrings } from '../../i18n';
import { ContactPicker } from './ContactPicker';
import { ContactConsentQuery, ContactNameQuery, DoNotContactQuery, RecordConsentMutation, SetDoNotContactMutation } from './operations';
import { strings } from './strings';

const when = (iso: string) => new Date(iso).toLocaleString();
const SOURCES = ['manual', 'form', 'event', 'import', 'contract'];

/** Consent per contact (found through their account, or `?contactId=` in the URL): where they stand
 * on each channel, every opt-in and opt-out, and the do-not-contact list that no send passes. */
export default function ConsentPage() {
  const s = useStrings(strings);
  const [params, setParams] = useSearchParams();
  const contactId = params.get('contactId');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {s('consent.title')}
      </Typography.Title>
      <ContactPicker value={contactId} onChange={(id) => setParams(id ? { contactId: id } : {})} label={s('campaign.contact')} />
      {contactId ? <ContactConsent contactId={contactId} /> : <Typography.Text type="secondary">{s('consent.pick')}</Typography.Text>}
      <DoNotContactList onOpen={(id) => setParams({ contactId: id })} />
    </Space>
  );
}

function ContactConsent({ contactId }: { contactId: string }) {
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { data, error, refetch } = useQuery(ContactConsentQuery, { variables: { contactId } });
  const [recording, setRecording] = useState<boolean | null>(null);
  const [listing, setListing] = useState(false);
  const [record] = useMutation(RecordConsentMutation, { refetchQueries: ['ContactConsent'] });
  const [setDnc] = useMutation(SetDoNotContactMutation, { refetchQueries: ['ContactConsent', 'DoNotContactList'] });
  if (error && !data) return <ErrorState error={error} retry={() => void refetch()} />;
  if (!data) return <Skeleton active />;
  const contact = data.contact;
  const consents = contact.consents ?? [];
  const listed = consents.some((c) => c.doNotContact);
  const editable = can('marketing:consent:update');

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{contact.name}</h2>}>
      <Descriptions column={{ xs: 1, sm: 2 }} size="small">
        {consents.map((state) => (
          <Descriptions.Item key={state.channel} label={s(`consent.channel.${state.channel}`)}>
            <Tag color={state.decision === 'SEND' ? 'blue' : 'red'}>{s(`consent.decision.${state.decision}`)}</Tag>
          </Descriptions.Item>
        ))}
      </Descriptions>
      {editable && (
        <Flex wrap gap={8} style={{ margin: '12px 0' }}>
          <Button onClick={() => setRecording(true)}>{s('consent.optIn')}</Button>
          <Button onClick={() => setRecording(false)}>{s('consent.optOut')}</Button>
          {listed ? (
            <Button
              onClick={async () => {
                await setDnc({ variables: { contactId, listed: false } });
                void message.success(s('consent.recorded'));
              }}
            >
              {s('consent.removeDnc')}
            </Button>
          ) : (
            <Button danger onClick={() => setListing(true)}>
              {s('consent.addDnc')}
            </Button>
          )}
        </Flex>
      )}
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {s('consent.history')}
      </Typography.Title>
      <Table
        rowKey={(row) => row.channel + row.recordedAt}
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data.consentHistory}
        columns={[
          { title: s('consent.recorded'), key: 'at', render: (_, row) => when(row.recordedAt) },
          { title: s('consent.channel'), key: 'channel', render: (_, row) => s(`consent.channel.${row.channel}`) },
          { title: s('field.status'), key: 'granted', render: (_, row) => (row.granted ? s('consent.granted') : s('consent.withdrawn')) },
          { title: s('consent.source'), dataIndex: 'source', responsive: ['sm'] },
          { title: s('field.note'), dataIndex: 'note', responsive: ['md'] },
          { title: s('consent.addedBy'), key: 'by', responsive: ['md'], render: (_, row) => row.recordedBy?.displayName },
        ]}
      />
      <FormDialog<{ channel: ConsentChannel; source: string; note: string }>
        title={recording ? s('consent.optIn') : s('consent.optOut')}
        open={recording !== null}
        onClose={() => setRecording(null)}
        initialValues={{ channel: 'EMAIL', source: 'manual', note: '' }}
        run={async (values) => {
          await record({ variables: { input: { contactId, granted: !!recording, ...values, note: values.note || null } } });
          void message.success(s('consent.recorded'));
        }}
      >
        {() => (
          <>
            <Form.Item name="channel" label={s('consent.channel')}>
              <Radio.Group
                optionType="button"
                options={(['EMAIL', 'SMS'] as const).map((channel) => ({ value: channel, label: s(`consent.channel.${channel}`) }))}
              />
            </Form.Item>
            <Form.Item name="source" label={s('consent.source')}>
              <Select options={SOURCES.map((source) => ({ value: source, label: source }))} />
            </Form.Item>
            <Form.Item name="note" label={s('field.note')}>
              <Input />
            </Form.Item>
          </>
        )}
      </FormDialog>
      <FormDialog<{ reason: string }>
        title={s('consent.addDnc')}
        open={listing}
        onClose={() => setListing(false)}
        initialValues={{ reason: '' }}
        run={async ({ reason }) => {
          await setDnc({ variables: { contactId, listed: true, reason: reason || null } });
          void message.success(s('consent.recorded'));
        }}
      >
        {() => (
          <Form.Item name="reason" label={s('consent.reason')}>
            <Input />
          </Form.Item>
        )}
      </FormDialog>
    </Card>
  );
}

function DoNotContactList({ onOpen }: { onOpen: (contactId: string) => void }) {
  const s = useStrings(strings);
  const { data, loading, error, refetch } = useQuery(DoNotContactQuery);
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('consent.dnc')}</h2>}>
      {error && <ErrorState error={error} retry={() => void refetch()} />}
      {data && !data.doNotContactList.length ? (
        <Empty />
      ) : (
        <Table
          rowKey="contactId"
          size="small"
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={data?.doNotContactList ?? []}
          columns={[
            { title: s('campaign.contact'), key: 'contact', render: (_, row) => <ContactName id={row.contactId} onOpen={onOpen} /> },
            { title: s('consent.reason'), dataIndex: 'reason' },
            { title: s('consent.addedBy'), key: 'by', responsive: ['sm'], render: (_, row) => row.addedBy?.displayName },
            { title: s('consent.addedAt'), key: 'at', responsive: ['md'], render: (_, row) => when(row.addedAt) },
          ]}
        />
      )}
    </Card>
  );
}

/** The list carries contact ids only: each name (and account) is read from customer. */
function ContactName({ id, onOpen }: { id: string; onOpen: (contactId: string) => void }) {
  const { data } = useQuery(ContactNameQuery, { variables: { id } });
  const contact = data?.contact;
  return (
    <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(id)}>
      {contact ? `${contact.name}${contact.account ? ` · ${contact.account.name}` : ''}` : id.slice(0, 8)}
    </Button>
  );
}
