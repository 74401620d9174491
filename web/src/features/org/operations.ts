import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const OrgTreeQuery = parsed(graphql(`
  query OrgTree {
    orgUnits {
      ...OrgUnitNode
    }
  }

  fragment OrgUnitNode on OrgUnit {
    id
    name
    kind
    parentId
    path
    manager {
      id
      displayName
    }
  }
`));

export const UnitMembersQuery = parsed(graphql(`
  query UnitMembers($unitId: ID!) {
    users(first: 100, filter: { orgUnitId: $unitId }) {
      totalCount
      edges {
        node {
          id
          displayName
          email
          roles
          isActive
        }
      }
    }
  }
`));

export const CreateOrgUnitMutation = parsed(graphql(`
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      ...OrgUnitNode
    }
  }
`));

export const UpdateOrgUnitMutation = parsed(graphql(`
  mutation UpdateOrgUnit($id: ID!, $input: UpdateOrgUnitInput!) {
    updateOrgUnit(id: $id, input: $input) {
      ...OrgUnitNode
    }
  }
`));

export const DeleteOrgUnitMutation = parsed(graphql(`
  mutation DeleteOrgUnit($id: ID!) {
    deleteOrgUnit(id: $id)
  }
`));
