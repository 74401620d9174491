/**
 * The console's language: zh-CN unless the browser prefers English, switchable and remembered.
 * UI strings come from `strings.ts`, or from a feature's own catalogue (`useStrings`) so that they load
 * with the feature's lazy route instead of the sign-in page; messages from the API arrive already in
 * the language sent as `Accept-Language` (see api/client.ts).
 */
import { ConfigProvider } from 'antd';
import 'antd/dist/antd.css';
import enUS from 'antd/es/locale/en_US';
import zhCNLocale from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { chooseLanguage, currentLanguage, type Language } from './language';
import { en, zhCN, type MessageKey } from './strings';

export { currentLanguage, type Language } from './language';

const catalogues = { 'zh-CN': zhCN, en } as const;

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (next: Language) => void;
  t: Translate;
}

// antd's default blue and greys fall short of WCAG AA contrast (4.5:1) on white. Components take
// their styles from antd's static stylesheet (zero runtime): computing and inserting them while
// rendering was a quarter of the processor time a screen took to appear; the tokens below reach
// it as CSS variables.
// a hovered or pressed primary button darkens rather than lightens, so its white text keeps a 4.5:1 contrast
const theme = {
  zeroRuntime: true,
  token: {
    colorPrimary: '#0958d9',
    colorPrimaryHover: '#003eb3',
    colorPrimaryActive: '#002c8c',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorInfo: '#0958d9',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.55)',
  },
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, onChange }: { children: ReactNode; onChange?: () => void }) {
  const [current, setCurrent] = useState<Language>(currentLanguage);
  const setLanguage = useCallback(
    (next: Language) => {
      chooseLanguage(next);
      setCurrent(next);
      onChange?.();
    },
    [onChange],
  );
  const t = useCallback<Translate>(
    (key, values) =>
      catalogues[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
    [current],
  );
  const value = useMemo(() => ({ language: current, setLanguage, t }), [current, setLanguage, t]);
  document.documentElement.lang = current;
  // the date pickers' month and weekday names and the first day of a week come from dayjs, not antd's locale
  dayjs.locale(current === 'en' ? 'en' : 'zh-cn');
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={current === 'en' ? enUS : zhCNLocale} theme={theme} button={{ autoInsertSpace: false }}>
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** A feature's own strings in both languages; `en` must have each key `zh-CN` has. */
export type Catalogue<K extends string> = { 'zh-CN': Record<K, string>; en: Record<K, string> };

/** Translate with a feature's own catalogue, in the console's current language. */
export function useStrings<K extends string>(catalogue: Catalogue<K>): (key: K, values?: Record<string, string | number>) => string {
  const { language: current } = useI18n();
  return useCallback(
    (key: K, values?: Record<string, string | number>) =>
      catalogue[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
    [catalogue, current],
  );
}
