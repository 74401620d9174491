import type { Language } from '../../i18n';

interface NamedRole {
  key: string;
  name: string;
  nameZh: string;
}

/** A role by its name in the console's language, its key when it has none. */
export function roleName(language: Language, role: NamedRole): string {
  return (language === 'en' ? role.name : role.nameZh || role.name) || role.key;
}

/** A role's description in the console's language, the English one when it has no Chinese one. */
export function roleDescription(language: Language, role: { description: string; descriptionZh: string }): string {
  return language === 'en' ? role.description : role.descriptionZh || role.description;
}

/** Units as select options, indented under their parents (the API lists parents first). */
export function unitOptions(units: readonly { id: string; name: string; path: readonly string[] }[]) {
  return units.map((u) => ({ value: u.id, label: `${'\u3000'.repeat(Math.max(0, u.path.length - 1))}${u.name}`, name: u.name }));
}
