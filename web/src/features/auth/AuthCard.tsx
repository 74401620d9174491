import { Button, Flex, theme } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** The frame of the pages shown before sign-in, with the language switch. Drawn as antd's Card looks, not
 * with Card itself: Card brings Tabs, Menu and Skeleton into the sign-in page's first load. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const { token } = theme.useToken();
  return (
    <Flex component="main" justify="center" align="center" style={{ minHeight: '100vh', padding: 16 }}>
      <div
        style={{
          width: '100%',
          maxWidth: 400,
          padding: token.paddingLG,
          background: token.colorBgContainer,
          border: `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`,
          borderRadius: token.borderRadiusLG,
        }}
      >
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <h1 style={{ fontSize: 20, margin: 0 }}>{title}</h1>
          <Button
            type="link"
            aria-label={`${t('lang.switch')} (${t('lang.label')})`}
            onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
          >
            {t('lang.switch')}
          </Button>
        </Flex>
        {children}
      </div>
    </Flex>
  );
}
