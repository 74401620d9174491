import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const MaterialsQuery = parsed(graphql(`
  query Materials {
    materials {
      ...MaterialFields
    }
  }

  fragment MaterialFields on Material {
    id
    name
    kind
    unit
    stock
    unitCost
    currency
    description
    issues {
      id
      campaignId
      quantity
      cost
      note
      issuedBy {
        id
        displayName
      }
      issuedAt
    }
  }
`));

/** The campaigns issues name, and those materials may go to (approved or running: a budget bears their cost). */
export const MaterialCampaignsQuery = parsed(graphql(`
  query MaterialCampaigns {
    campaigns(first: 100) {
      edges {
        node {
          id
          name
          status
        }
      }
    }
  }
`));

export const SaveMaterialMutation = parsed(graphql(`
  mutation SaveMaterial($input: MaterialInput!, $id: ID) {
    saveMaterial(input: $input, id: $id) {
      ...MaterialFields
    }
  }
`));

export const RestockMaterialMutation = parsed(graphql(`
  mutation RestockMaterial($id: ID!, $quantity: Int!) {
    restockMaterial(id: $id, quantity: $quantity) {
      ...MaterialFields
    }
  }
`));

export const IssueMaterialMutation = parsed(graphql(`
  mutation IssueMaterial($id: ID!, $campaignId: ID!, $quantity: Int!, $note: String) {
    issueMaterial(id: $id, campaignId: $campaignId, quantity: $quantity, note: $note) {
      ...MaterialFields
    }
  }
`));
