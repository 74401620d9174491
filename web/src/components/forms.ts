/** What the console's forms share beyond `api/errors.ts`: the keyboard in date pickers, number bounds said. */
import type { FormRule } from 'antd';
import type { KeyboardEvent } from 'react';
import type { Translate } from '../i18n';

/** Enter in a date picker confirms the date it shows and nothing more: the browser would also submit the form
 * around it (implicit submission), saving it before its other sections were filled in. For a form's `onKeyDown`. */
export function keepEnterInPickers(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key === 'Enter' && (event.target as HTMLElement).closest('.ant-picker')) event.preventDefault();
}

/** A number's bounds as a rule that says them at the field. InputNumber's own `min`/`max` would move a typed
 * 150 to 99 on blur without a word, and the save would send a number the user never chose. */
export function within(t: Translate, field: string, min: number, max?: number): FormRule {
  return {
    type: 'number',
    min,
    max,
    message: max === undefined ? t('form.atLeast', { field, min }) : t('form.between', { field, min, max }),
  };
}
