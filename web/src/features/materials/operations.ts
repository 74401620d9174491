import { graphql } from '../../gql';

export const MaterialsQuery = graphql(`
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
`);

/** The campaigns issues name, and those materials may go to (approved or running: a budget bears their cost). */
export const MaterialCampaignsQuery = graphql(`
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
`);

export const SaveMaterialMutation = graphql(`
  mutation SaveMaterial($input: MaterialInput!, $id: ID) {
    saveMaterial(input: $input, id: $id) {
      ...MaterialFields
    }
  }
`);

export const RestockMaterialMutation = graphql(`
  mutation RestockMaterial($id: ID!, $quantity: Int!) {
    restockMaterial(id: $id, quantity: $quantity) {
      ...MaterialFields
    }
  }
`);

export const IssueMaterialMutation = graphql(`
  mutation IssueMaterial($id: ID!, $campaignId: ID!, $quantity: Int!, $note: String) {
    issueMaterial(id: $id, campaignId: $campaignId, quantity: $quantity, note: $note) {
      ...MaterialFields
    }
  }
`);
