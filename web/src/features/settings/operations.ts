import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const CustomFieldsQuery = parsed(graphql(`
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
`));

export const DefineCustomFieldMutation = parsed(graphql(`
  mutation DefineCustomField($input: DefineCustomFieldInput!) {
    defineCustomField(input: $input) {
      key
      entity
    }
  }
`));

export const LeadRulesQuery = parsed(graphql(`
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
`));

export const RuleChoicesQuery = parsed(graphql(`
  query RuleChoices {
    orgUnits {
      id
      name
    }
  }
`));

export const SaveAssignmentRuleMutation = parsed(graphql(`
  mutation SaveAssignmentRule($input: AssignmentRuleInput!, $id: ID) {
    saveAssignmentRule(input: $input, id: $id) {
      ...AssignmentRuleDetail
    }
  }
`));

export const DeleteAssignmentRuleMutation = parsed(graphql(`
  mutation DeleteAssignmentRule($id: ID!) {
    deleteAssignmentRule(id: $id)
  }
`));

export const AddScoringRuleMutation = parsed(graphql(`
  mutation AddScoringRule($field: String!, $points: Int!, $value: String!) {
    addScoringRule(field: $field, points: $points, value: $value) {
      id
    }
  }
`));

export const DeleteScoringRuleMutation = parsed(graphql(`
  mutation DeleteScoringRule($id: ID!) {
    deleteScoringRule(id: $id)
  }
`));

export const AdminPipelinesQuery = parsed(graphql(`
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
`));

export const CreatePipelineMutation = parsed(graphql(`
  mutation CreatePipeline($input: CreatePipelineInput!) {
    createPipeline(input: $input) {
      id
    }
  }
`));

export const UpdateStageMutation = parsed(graphql(`
  mutation UpdateStage($id: ID!, $input: StageFields!) {
    updateStage(id: $id, input: $input) {
      ...StageDetail
    }
  }
`));

export const SecurityQuery = parsed(graphql(`
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
`));

export const UpdateSecuritySettingsMutation = parsed(graphql(`
  mutation UpdateSecuritySettings($requireAdminTotp: Boolean!) {
    updateSecuritySettings(requireAdminTotp: $requireAdminTotp) {
      requireAdminTotp
      enforcedByConfiguration
      updatedAt
    }
  }
`));

export const RotateSigningKeyMutation = parsed(graphql(`
  mutation RotateSigningKey {
    rotateSigningKey {
      kid
    }
  }
`));

export const RetireSigningKeyMutation = parsed(graphql(`
  mutation RetireSigningKey($kid: ID!) {
    retireSigningKey(kid: $kid)
  }
`));
