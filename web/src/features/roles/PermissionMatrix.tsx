import { Card, Checkbox, Flex, Form, Select, Space, Typography } from 'antd';
import { strings } from './strings';
import { useI18n, useStrings } from '../../i18n';
import { permissionActionLabel, resourceLabel, serviceLabel } from './labels';

export const SCOPES = ['own', 'unit', 'subtree', 'all'] as const;

interface Resource {
  resource: string;
  actions: string[];
}

/** The catalogue (`service:resource:action`) grouped by service, then by resource. */
export function grouped(catalogue: readonly string[]): Map<string, Resource[]> {
  const services = new Map<string, Resource[]>();
  for (const permission of catalogue) {
    const [service, name, action] = permission.split(':');
    const resources = services.get(service) ?? [];
    const resource = `${service}:${name}`;
    const found = resources.find((r) => r.resource === resource);
    if (found) found.actions.push(action);
    else resources.push({ resource, actions: [action] });
    services.set(service, resources);
  }
  return services;
}

/**
 * Checkboxes for every permission of the catalogue, with the wildcards the API honours (`*`,
 * `sales:*`, `sales:lead:*`) as checkboxes of their own: what a wildcard covers is shown checked
 * and locked. Each resource's data scope sits beside its actions (form field `scopes.<resource>`).
 * Services, resources and actions show in words; their keys stay the checkboxes' names and show on hover.
 */
export function PermissionMatrix({ catalogue, value = [], onChange, disabled }: { catalogue: readonly string[]; value?: string[]; onChange?: (next: string[]) => void; disabled?: boolean }) {
  const { language } = useI18n();
  const s = useStrings(strings);
  const granted = new Set(value);
  const covered = (permission: string) =>
    [...granted].some((p) => p !== permission && p.endsWith('*') && permission.startsWith(p.slice(0, -1)));
  const toggle = (permission: string, on: boolean) => onChange?.(on ? [...value, permission] : value.filter((p) => p !== permission));
  const box = (permission: string, label: string, aria: string) => (
    <Checkbox
      key={permission}
      checked={granted.has(permission) || covered(permission)}
      disabled={disabled || covered(permission)}
      onChange={(e) => toggle(permission, e.target.checked)}
      aria-label={aria}
    >
      <span title={permission}>{label}</span>
    </Checkbox>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {box('*', s('roles.everything'), s('roles.everything'))}
      {[...grouped(catalogue)].map(([service, resources]) => (
        <Card
          key={service}
          size="small"
          title={
            <h3 style={{ fontSize: 15, margin: 0 }} title={service}>
              {serviceLabel(language, service)}
            </h3>
          }
          extra={box(`${service}:*`, s('roles.allOf'), `${service}: ${s('roles.allOf')}`)}
        >
          {resources.map(({ resource, actions }) => (
            <Flex key={resource} wrap gap={8} align="center" style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }} role="group" aria-label={resource}>
              <Typography.Text strong style={{ flex: '1 1 100%' }} title={resource}>
                {resourceLabel(language, resource)}
              </Typography.Text>
              <Flex wrap gap={4} style={{ flex: '1 1 220px' }}>
                {box(`${resource}:*`, s('roles.allActions'), `${resource}: ${s('roles.allActions')}`)}
                {actions.map((action) => box(`${resource}:${action}`, permissionActionLabel(language, action), `${resource}:${action}`))}
              </Flex>
              <Form.Item name={['scopes', resource]} noStyle>
                <Select
                  aria-label={s('roles.scopeOf', { resource })}
                  placeholder={s('roles.scopeDefault')}
                  allowClear
                  disabled={disabled}
                  options={SCOPES.map((scope) => ({ value: scope, label: s(`roles.scope.${scope}`) }))}
                  style={{ width: 150 }}
                />
              </Form.Item>
            </Flex>
          ))}
        </Card>
      ))}
    </Space>
  );
}
