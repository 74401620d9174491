/** The one query behind the user pickers (assignees, rule members, target owners, transfers). */
import { graphql } from '../gql';
import { parsed } from './document';
import type { ActiveUsersQuery as ActiveUsers } from '../gql/graphql';

/** Active users the caller may see; `role` narrows them to one role (`sales_rep`). */
export const ActiveUsersQuery = parsed(graphql(`
  query ActiveUsers($role: String) {
    users(first: 100, filter: { isActive: true, role: $role }) {
      edges {
        node {
          id
          displayName
        }
      }
    }
  }
`));

/** The users as a Select's options. */
export function userOptions(data: ActiveUsers | undefined): { value: string; label: string }[] {
  return data?.users.edges.map(({ node }) => ({ value: node.id, label: node.displayName })) ?? [];
}
