import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const RolesQuery = parsed(graphql(`
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
    descriptionZh
    builtin
    permissions
    maskedFields
    scopes {
      resource
      scope
    }
  }
`));

/** What a role can grant: the services' permissions and the fields that can be masked. */
export const GrantableQuery = parsed(graphql(`
  query Grantable {
    permissionCatalogue
    maskableFields
  }
`));

export const CreateRoleMutation = parsed(graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) {
      ...RoleDetail
    }
  }
`));

export const UpdateRoleMutation = parsed(graphql(`
  mutation UpdateRole($key: ID!, $input: UpdateRoleInput!) {
    updateRole(key: $key, input: $input) {
      ...RoleDetail
    }
  }
`));
