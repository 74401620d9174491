import { graphql } from '../../gql';

export const CustomFieldsQuery = graphql(`
  query CustomFields($entity: String!) {
    customFields(entity: $entity) {
      key
      entity
      label
      labelZh
      type
      options
      required
    }
  }
`);

export const DefineCustomFieldMutation = graphql(`
  mutation DefineCustomField($input: DefineCustomFieldInput!) {
    defineCustomField(input: $input) {
      key
      entity
    }
  }
`);

export const LeadRulesQuery = graphql(`
  query LeadRules {
    assignmentRules {
      ...AssignmentRuleDetail
    }
    scoringRules {
      id
      field
      value
      points
    }
  }

  fragment AssignmentRuleDetail on AssignmentRule {
    id
    name
    method
    priority
    provinces
    industries
    sources
    unitId
    active
    members {
      id
      displayName
    }
  }
`);

export const RuleChoicesQuery = graphql(`
  query RuleChoices {
    orgUnits {
      id
      name
    }
  }
`);

export const SaveAssignmentRuleMutation = graphql(`
  mutation SaveAssignmentRule($input: AssignmentRuleInput!, $id: ID) {
    saveAssignmentRule(input: $input, id: $id) {
      ...AssignmentRuleDetail
    }
  }
`);

export const DeleteAssignmentRuleMutation = graphql(`
  mutation DeleteAssignmentRule($id: ID!) {
    deleteAssignmentRule(id: $id)
  }
`);

export const AddScoringRuleMutation = graphql(`
  mutation AddScoringRule($field: String!, $points: Int!, $value: String!) {
    addScoringRule(field: $field, points: $points, value: $value) {
      id
    }
  }
`);

export const DeleteScoringRuleMutation = graphql(`
  mutation DeleteScoringRule($id: ID!) {
    deleteScoringRule(id: $id)
  }
`);

export const AdminPipelinesQuery = graphql(`
  query AdminPipelines {
    pipelines {
      id
      name
      isDefault
      unitId
      stages {
        ...StageDetail
      }
    }
  }

  fragment StageDetail on Stage {
    id
    name
    position
    probability
    requiredFields
  }
`);

export const CreatePipelineMutation = graphql(`
  mutation CreatePipeline($input: CreatePipelineInput!) {
    createPipeline(input: $input) {
      id
    }
  }
`);

export const UpdateStageMutation = graphql(`
  mutation UpdateStage($id: ID!, $input: StageFields!) {
    updateStage(id: $id, input: $input) {
      ...StageDetail
    }
  }
`);

export const SecurityQuery = graphql(`
  query Security {
    securitySettings {
      requireAdminTotp
      enforcedByConfiguration
      updatedAt
    }
    signingKeys {
      kid
      algorithm
      createdAt
      retiredAt
    }
  }
`);

export const UpdateSecuritySettingsMutation = graphql(`
  mutation UpdateSecuritySettings($requireAdminTotp: Boolean!) {
    updateSecuritySettings(requireAdminTotp: $requireAdminTotp) {
      requireAdminTotp
      enforcedByConfiguration
      updatedAt
    }
  }
`);

export const RotateSigningKeyMutation = graphql(`
  mutation RotateSigningKey {
    rotateSigningKey {
      kid
    }
  }
`);

export const RetireSigningKeyMutation = graphql(`
  mutation RetireSigningKey($kid: ID!) {
    retireSigningKey(kid: $kid)
  }
`);
