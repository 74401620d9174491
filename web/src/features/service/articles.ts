import { useCallback } from 'react';
import type { ArticleCategoriesQuery } from '../../gql/graphql';
import { useI18n, type Language } from '../../i18n';

/** The languages an article is written in, as the API's `language` filter names them. */
export const LANGUAGES = ['zh-CN', 'en'] as const;

type Category = ArticleCategoriesQuery['articleCategories'][number];

/** A category's name in the console's language (the other when it has none). */
export function categoryName(category: Pick<Category, 'nameZh' | 'nameEn'>, language: Language): string {
  return (language === 'en' ? category.nameEn : category.nameZh) || category.nameZh || category.nameEn;
}

/** Looks a category id up in the loaded categories. */
export function useCategoryName(data: ArticleCategoriesQuery | undefined): (id: string | null | undefined) => string | null {
  const { language } = useI18n();
  return useCallback(
    (id) => {
      const found = data?.articleCategories.find((c) => c.id === id);
      return found ? categoryName(found, language) : null;
    },
    [data, language],
  );
}
