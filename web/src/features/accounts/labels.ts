import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';

export const STAGES = ['prospect', 'new', 'active', 'loyal', 'at_risk', 'churned'] as const;
export const LEVELS = ['A', 'B', 'C', 'D'] as const;

export function stageLabel(t: Translate, stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? t(`stage.${stage}` as MessageKey) : stage;
}

export const KINDS = ['call', 'visit', 'meeting', 'email', 'note'] as const;

/** An activity's kind as the dashboard shows it (电话, 拜访...); one the console has no word for stays as it is. */
export function kindLabel(t: Translate, kind: string): string {
  return (KINDS as readonly string[]).includes(kind) ? t(`kind.${kind}` as MessageKey) : kind;
}

/** A contact's role at the account, as the API names them. */
export const CONTACT_ROLES = ['decision_maker', 'buyer', 'influencer', 'user', 'technical', 'finance', 'other'] as const;
