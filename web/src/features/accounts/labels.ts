import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';

export const STAGES = ['prospect', 'new', 'active', 'loyal', 'at_risk', 'churned'] as const;
export const LEVELS = ['A', 'B', 'C', 'D'] as const;

export function stageLabel(t: Translate, stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? t(`stage.${stage}` as MessageKey) : stage;
}
