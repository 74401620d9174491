import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { describe, showFieldErrors } from '../../api/errors';
import { can } from '../../api/session';
import { ErrorState } from '../../components/ErrorState';
import { useI18n, useStrings } from '../../i18n';
import { strings } from './strings';
import { CreateRoleMutation, GrantableQuery, RolesQuery, UpdateRoleMutation } from './operations';
import { PermissionMatrix } from './PermissionMatrix';

interface Values {
  key: string;
  name: string;
  nameZh?: string;
  description?: string;
  descriptionZh?: string;
  permissions: string[];
  scopes?: Record<string, string | undefined>;
  maskedFields: string[];
}

/** Create or edit a role: its names and descriptions in English and Chinese, the permissions of the catalogue, a data scope per resource
 * and the fields its holders see masked. The administrator role itself cannot be changed. */
export default function RoleEditorPage() {
  const { t } = useI18n();
  const s = useStrings(strings);
  const { message } = App.useApp();
  const { key } = useParams<{ key: string }>();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const roles = useQuery(RolesQuery, { skip: !key });
  const grantable = useQuery(GrantableQuery);
  const [create, created] = useMutation(CreateRoleMutation);
  const [update, updated] = useMutation(UpdateRoleMutation);
  const [problem, setProblem] = useState<string | null>(null);

  const failed = grantable.error ?? roles.error;
  if (failed && !grantable.data) return <ErrorState error={failed} retry={() => void grantable.refetch()} />;
  if (!grantable.data || (key && !roles.data)) return <Skeleton active />;
  const role = roles.data?.roles.find((r) => r.key === key);
  if (key && !role) return <Result status="404" title={t('notFound.title')} />;
  const readOnly = role ? !can('identity:role:update') : !can('identity:role:create');

  async function submit(values: Values) {
    setProblem(null);
    const input = {
      name: values.name.trim(),
      nameZh: values.nameZh?.trim() ?? '',
      description: values.description?.trim() ?? '',
      descriptionZh: values.descriptionZh?.trim() ?? '',
      permissions: values.permissions,
      scopes: Object.entries(values.scopes ?? {}).flatMap(([resource, scope]) => (scope ? [{ resource, scope }] : [])),
      maskedFields: values.maskedFields,
    };
    try {
      if (role) await update({ variables: { key: role.key, input } });
      else await create({ variables: { input: { ...input, key: values.key.trim() } }, refetchQueries: ['Roles'] });
      message.success(role ? t('form.saved') : s('roles.created'));
      navigate('/admin/roles');
    } catch (failure) {
      if (showFieldErrors(form, failure).length) setProblem(describe(failure, t));
    }
  }

  const initial: Partial<Values> = role
    ? { ...role, scopes: Object.fromEntries(role.scopes.map((s) => [s.resource, s.scope])) }
    : { permissions: [], maskedFields: [], scopes: {} };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {role ? s('roles.editTitle', { key: role.key }) : s('roles.new')}
      </Typography.Title>
      {problem && <Alert type="error" showIcon role="alert" message={problem} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={initial} disabled={readOnly} scrollToFirstError>
        <Card style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="key" label={s('roles.key')} extra={!role && s('roles.keyHint')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('roles.key') }) }]}>
                <Input disabled={!!role} maxLength={64} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={s('roles.nameEn')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: s('roles.nameEn') }) }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="nameZh" label={s('roles.nameZh')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="description" label={s('roles.descriptionEn')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="descriptionZh" label={s('roles.descriptionZh')}>
                <Input maxLength={500} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('roles.permissions')}</h2>} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{s('roles.scopeHint')}</Typography.Paragraph>
          <Form.Item name="permissions">
            <PermissionMatrix catalogue={grantable.data.permissionCatalogue} disabled={readOnly} />
          </Form.Item>
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{s('roles.masked')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item name="maskedFields" label={s('roles.maskedHint')}>
            <Checkbox.Group options={grantable.data.maskableFields.map((f) => ({ value: f, label: f }))} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
          </Form.Item>
        </Card>
        <Space>
          {!readOnly && (
            <Button type="primary" htmlType="submit" loading={created.loading || updated.loading}>
              {t('form.save')}
            </Button>
          )}
          <Button disabled={false} onClick={() => navigate('/admin/roles')}>
            {t('form.cancel')}
          </Button>
        </Space>
      </Form>
    </Space>
  );
}
