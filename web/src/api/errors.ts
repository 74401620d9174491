/**
 * The one place API errors become UI: `extensions.field` goes next to its form field (the API has
 * already written the message in the user's language), other codes become a clear message.
 */
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { FormInstance } from 'antd';
import type { Translate } from '../i18n';

export interface ApiError {
  message: string;
  code: string;
  field?: string;
  retryAfterSeconds?: number;
  existingId?: string;
}

/** The GraphQL errors an Apollo error carries, whether the gateway answered 200 or not. */
export function apiErrors(error: unknown): ApiError[] {
  let raw: { message: string; extensions?: Record<string, unknown> }[] = [];
  if (CombinedGraphQLErrors.is(error)) raw = [...error.errors];
  else if (ServerError.is(error)) {
    try {
      raw = (JSON.parse(error.bodyText) as { errors?: typeof raw }).errors ?? [];
    } catch {
      raw = [];
    }
  }
  return raw.map((e) => ({
    message: e.message,
    code: String(e.extensions?.code ?? 'INTERNAL'),
    field: typeof e.extensions?.field === 'string' ? e.extensions.field : undefined,
    retryAfterSeconds: typeof e.extensions?.retryAfterSeconds === 'number' ? e.extensions.retryAfterSeconds : undefined,
    existingId: typeof e.extensions?.existingId === 'string' ? e.extensions.existingId : undefined,
  }));
}

export function hasCode(error: unknown, code: string): boolean {
  return apiErrors(error).some((e) => e.code === code);
}

/** A message for an error that belongs to no field. */
export function describe(error: unknown, t: Translate): string {
  const [first] = apiErrors(error);
  if (!first) return t('error.network');
  switch (first.code) {
    case 'FORBIDDEN':
      // the API's words say why when there is more to say (four eyes, a unit not one's own)
      return first.message || t('error.forbidden');
    case 'NOT_FOUND':
      return t('error.notFound');
    case 'SERVICE_UNAVAILABLE':
      return t('error.unavailable');
    case 'UNAUTHENTICATED':
      return t('error.sessionEnded');
    default:
      // BAD_USER_INPUT, CONFLICT, TOTP_REQUIRED, ACCOUNT_LOCKED...: the API's own localised words
      return first.message || t('error.unknown');
  }
}

/** The form's name path for an API field: `lines[1].quantity` is `['lines', 1, 'quantity']`. */
function namePath(field: string): (string | number)[] {
  return field.split(/\.|\[(\d+)\]/).filter((part) => part).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Shows field errors next to their fields, form fields named as the API names them (`phone`,
 * `email`, `lines[0].quantity`...); answers the errors left over, for an alert above the form. A failure
 * without API errors (the network, a gateway's HTML 502) is left over as one, so the form never stays silent.
 */
export function showFieldErrors(form: FormInstance, error: unknown): ApiError[] {
  const errors = apiErrors(error);
  if (!errors.length) return [{ message: '', code: 'NETWORK' }];
  const top = new Set(Object.keys(form.getFieldsValue() as object));
  const shown = (field: string) => {
    const path = namePath(field);
    if (!top.has(String(path[0]))) return false;
    // a place inside a text (a JSON box's `levels[0]`) is no field of the form
    return path.length === 1 || (typeof form.getFieldValue(path[0]) === 'object' && form.getFieldValue(path) !== undefined);
  };
  const onFields = errors.filter((e) => e.field && shown(e.field));
  form.setFields(onFields.map((e) => ({ name: namePath(e.field!), errors: [atItsField(e.message)] })));
  return errors.filter((e) => !onFields.includes(e));
}

/** A message shown under its field without the field's API name in front, in each form the API writes it:
 * "字段“phone”：…", "字段“email”的值无效：…", "字段“until”须…", "字段“x”的格式不正确", "Field 'phone': …",
 * "Invalid value for field 'email': …", "Field 'until' must…". The field's own label says which it is, in the
 * reader's words. */
export function atItsField(message: string): string {
  const rest = message
    .replace(/^字段“[^”]*”(?:的值无效：|：|的)?/, '')
    .replace(/^Invalid value for field '[^']*'$/, 'Invalid value')
    .replace(/^(?:Invalid value for field '[^']*': |Field '[^']*':? )/, '');
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : message;
}
