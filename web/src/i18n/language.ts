/** The console's language, kept apart from the React provider so the first request can read it. */
export type Language = 'zh-CN' | 'en';
export const LANGUAGE_KEY = 'crm.language';

function initial(): Language {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  if (chosen === 'zh-CN' || chosen === 'en') return chosen;
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'zh-CN';
  return preferred.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

let language: Language = initial();

/** The language sent as `Accept-Language` with every request. */
export function currentLanguage(): Language {
  return language;
}

export function chooseLanguage(next: Language): void {
  language = next;
  localStorage.setItem(LANGUAGE_KEY, next);
  document.documentElement.lang = next;
}
