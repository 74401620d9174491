import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const AdminUsersQuery = parsed(graphql(`
  query AdminUsers($filter: UserFilterInput, $after: String) {
    users(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AdminUser
        }
      }
    }
  }

  fragment AdminUser on User {
    id
    displayName
    email
    roles
    isActive
    createdAt
    orgUnit {
      id
      name
    }
  }
`));

/** What the user form and filters pick from: roles and units. */
export const UserChoicesQuery = parsed(graphql(`
  query UserChoices {
    roles {
      key
      name
      nameZh
    }
    orgUnits {
      id
      name
      path
    }
  }
`));

export const CreateUserMutation = parsed(graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      ...AdminUser
    }
  }
`));

export const UpdateUserMutation = parsed(graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      ...AdminUser
    }
  }
`));

export const AssignRolesMutation = parsed(graphql(`
  mutation AssignRoles($userId: ID!, $roles: [String!]!) {
    assignRoles(userId: $userId, roles: $roles) {
      ...AdminUser
    }
  }
`));

export const DeactivateUserMutation = parsed(graphql(`
  mutation DeactivateUser($id: ID!) {
    deactivateUser(id: $id) {
      ...AdminUser
    }
  }
`));

export const ReactivateUserMutation = parsed(graphql(`
  mutation ReactivateUser($id: ID!) {
    reactivateUser(id: $id) {
      ...AdminUser
    }
  }
`));

export const ServiceAccountsQuery = parsed(graphql(`
  query ServiceAccounts {
    serviceAccounts {
      ...ServiceAccountDetail
    }
  }

  fragment ServiceAccountDetail on ServiceAccount {
    id
    name
    permissions
    isActive
    scopes {
      resource
      scope
    }
    apiKeys {
      id
      name
      prefix
      createdAt
      lastUsedAt
      revokedAt
    }
  }
`));

export const CreateServiceAccountMutation = parsed(graphql(`
  mutation CreateServiceAccount($input: CreateServiceAccountInput!) {
    createServiceAccount(input: $input) {
      ...ServiceAccountDetail
    }
  }
`));

export const DeactivateServiceAccountMutation = parsed(graphql(`
  mutation DeactivateServiceAccount($id: ID!) {
    deactivateServiceAccount(id: $id) {
      ...ServiceAccountDetail
    }
  }
`));

export const CreateApiKeyMutation = parsed(graphql(`
  mutation CreateApiKey($serviceAccountId: ID!, $name: String!) {
    createApiKey(serviceAccountId: $serviceAccountId, name: $name) {
      secret
      key {
        id
      }
    }
  }
`));

export const RevokeApiKeyMutation = parsed(graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id)
  }
`));
