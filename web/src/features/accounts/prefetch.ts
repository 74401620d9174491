import { prefetch } from '../../api/prefetch';
import { AccountQuery } from './operations';

/** Account 360's query, sent while the page's code loads. */
export const prefetchAccount = (id: string) => prefetch(AccountQuery, { id });
