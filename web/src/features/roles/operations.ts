import { graphql } from '../../gql';

export const RolesQuery = graphql(`
  query Roles {
    roles {
      ...RoleDetail
    }
  }

  fragment RoleDetail on Role {
    id
    key
    name
    nameZh
    description
    builtin
    permissions
    maskedFields
    scopes {
      resource
      scope
    }
  }
`);

/** What a role can grant: the services' permissions and the fields that can be masked. */
export const GrantableQuery = graphql(`
  query Grantable {
    permissionCatalogue
    maskableFields
  }
`);

export const CreateRoleMutation = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      ...RoleDetail
    }
  }
`);

export const UpdateRoleMutation = graphql(`
  mutation UpdateRole($key: ID!, $input: UpdateRoleInput!) {
    updateRole(key: $key, input: $input) {
      ...RoleDetail
    }
  }
`);
