import { prefetch } from '../../api/prefetch';
import { restoring } from '../../boot';
import { AccountQuery, accountVariables } from './operations';

/** Account 360's query, sent while the page's code loads: once the session is back, since which sections
 * it asks for follow the caller's permissions (the page asks with the same variables and reads the answer). */
export const prefetchAccount = async (id: string) => {
  await restoring;
  await prefetch(AccountQuery, accountVariables(id));
};
