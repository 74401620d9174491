import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const CampaignsQuery = parsed(graphql(`
  query Campaigns($filter: CampaignFilter, $first: Int! = 20, $after: String) {
    campaigns(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...CampaignRow
        }
      }
    }
  }

  fragment PageCursor on PageInfo {
    hasNextPage
    endCursor
  }

  fragment CampaignRow on Campaign {
    id
    name
    type
    status
    startsOn
    endsOn
    budgetStatus
    budgetTotal
    actualCost
    currency
    owner {
      id
      displayName
    }
  }
`));

// What the dashboards show, one query per card (so that one that fails empties only its card): one's own
// campaigns, budgets waiting and who decides them, sends under way.
export const MyCampaignsQuery = parsed(graphql(`
  query MyCampaigns($mine: CampaignFilter!) {
    mine: campaigns(filter: $mine, first: 10) {
      totalCount
      edges {
        node {
          ...CampaignRow
        }
      }
    }
  }
`));

export const BudgetsWaitingQuery = parsed(graphql(`
  query BudgetsWaiting($waiting: CampaignFilter!) {
    waiting: campaigns(filter: $waiting, first: 50) {
      totalCount
      edges {
        node {
          ...CampaignRow
          budgetSubmittedBy {
            id
            displayName
          }
          budgetSubmittedAt
          budgetApproval {
            id
            currentApprovers {
              id
            }
          }
        }
      }
    }
  }
`));

export const EmailSendsQuery = parsed(graphql(`
  query EmailSends($email: CampaignFilter!) {
    sending: campaigns(filter: $email, first: 50) {
      edges {
        node {
          id
          name
          sentAt
          sendProgress {
            queued
            sent
            failed
          }
        }
      }
    }
  }
`));

export const CampaignQuery = parsed(graphql(`
  query Campaign($id: ID!) {
    campaign(id: $id) {
      ...CampaignRow
      description
      goalLeads
      goalOpportunities
      goalRevenue
      templateId
      language
      budgetLines {
        category
        amount
        note
      }
      costs {
        id
        category
        amount
        incurredOn
        note
      }
      budgetSubmittedBy {
        id
        displayName
      }
      budgetSubmittedAt
      budgetDecidedBy {
        id
        displayName
      }
      budgetDecidedAt
      budgetNote
      budgetApproval {
        ...ApprovalFields
      }
      memberCounts {
        status
        count
      }
      sentAt
      sendProgress {
        queued
        sent
        failed
        opened
        clicked
        unsubscribed
      }
    }
  }
`));

export const CampaignMembersQuery = parsed(graphql(`
  query CampaignMembers($id: ID!, $after: String) {
    campaign(id: $id) {
      id
      members(first: 20, after: $after) {
        totalCount
        pageInfo {
          ...PageCursor
        }
        edges {
          node {
            id
            contactName
            email
            leadId
            status
            addedAt
          }
        }
      }
    }
  }
`));

export const CreateCampaignMutation = parsed(graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      id
    }
  }
`));

export const UpdateCampaignMutation = parsed(graphql(`
  mutation UpdateCampaign($id: ID!, $input: UpdateCampaignInput!) {
    updateCampaign(id: $id, input: $input) {
      id
    }
  }
`));

export const SubmitBudgetMutation = parsed(graphql(`
  mutation SubmitCampaignBudget($id: ID!) {
    submitCampaignBudget(id: $id) {
      id
      status
      budgetStatus
    }
  }
`));

export const RecordCostMutation = parsed(graphql(`
  mutation RecordCampaignCost($id: ID!, $input: CampaignCostInput!) {
    recordCampaignCost(id: $id, input: $input) {
      id
      actualCost
    }
  }
`));

export const ChangeStatusMutation = parsed(graphql(`
  mutation ChangeCampaignStatus($id: ID!, $status: CampaignStatus!) {
    changeCampaignStatus(id: $id, status: $status) {
      id
      status
    }
  }
`));

export const SendCampaignMutation = parsed(graphql(`
  mutation SendCampaign($id: ID!) {
    sendCampaign(id: $id) {
      id
      sentAt
    }
  }
`));

export const EmailTemplatesQuery = parsed(graphql(`
  query EmailTemplates {
    emailTemplates {
      ...EmailTemplateFields
    }
    emailMergeFields
  }

  fragment EmailTemplateFields on EmailTemplate {
    id
    name
    subjectZh
    htmlZh
    textZh
    subjectEn
    htmlEn
    textEn
    updatedAt
  }
`));

export const SaveTemplateMutation = parsed(graphql(`
  mutation SaveEmailTemplate($id: ID, $input: EmailTemplateInput!) {
    saveEmailTemplate(id: $id, input: $input) {
      ...EmailTemplateFields
    }
  }
`));

export const PreviewTemplateQuery = parsed(graphql(`
  query PreviewEmailTemplate($input: EmailTemplateInput!, $language: String!, $contactId: ID) {
    previewEmailTemplate(input: $input, language: $language, contactId: $contactId) {
      subject
      html
      text
    }
  }
`));

export const ConsentAccountsQuery = parsed(graphql(`
  query ConsentAccounts($search: String!) {
    accounts(filter: { search: $search }, first: 10) {
      edges {
        node {
          id
          name
          contacts(first: 50) {
            edges {
              node {
                id
                name
                email
                consents {
                  channel
                  granted
                  doNotContact
                  decision
                }
              }
            }
          }
        }
      }
    }
  }
`));

export const ContactConsentQuery = parsed(graphql(`
  query ContactConsent($contactId: ID!) {
    contact(id: $contactId) {
      id
      name
      email
      consents {
        channel
        granted
        source
        recordedAt
        doNotContact
        decision
      }
    }
    consentHistory(contactId: $contactId) {
      channel
      granted
      source
      note
      recordedAt
      recordedBy {
        id
        displayName
      }
    }
  }
`));

export const DoNotContactQuery = parsed(graphql(`
  query DoNotContactList {
    doNotContactList {
      contactId
      reason
      addedAt
      addedBy {
        id
        displayName
      }
    }
  }
`));

export const ContactNameQuery = parsed(graphql(`
  query ContactName($id: ID!) {
    contact(id: $id) {
      id
      name
      account {
        id
        name
      }
    }
  }
`));

export const RecordConsentMutation = parsed(graphql(`
  mutation RecordConsent($input: ConsentInput!) {
    recordConsent(input: $input) {
      contactId
      channel
      decision
    }
  }
`));

export const SetDoNotContactMutation = parsed(graphql(`
  mutation SetDoNotContact($contactId: ID!, $listed: Boolean!, $reason: String) {
    setDoNotContact(contactId: $contactId, listed: $listed, reason: $reason)
  }
`));

export const SegmentsQuery = parsed(graphql(`
  query Segments($search: String, $after: String) {
    segments(search: $search, first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          id
          name
          kind
          memberCount
          updatedAt
          owner {
            id
            displayName
          }
        }
      }
    }
  }
`));

export const SegmentQuery = parsed(graphql(`
  query Segment($id: ID!) {
    segment(id: $id) {
      id
      name
      description
      kind
      memberCount
      rules {
        ...RuleGroup
        groups {
          ...RuleGroup
        }
      }
    }
  }

  fragment RuleGroup on SegmentRules {
    match
    conditions {
      field
      operator
      value
      values
      days
      key
    }
  }
`));

export const SegmentMembersQuery = parsed(graphql(`
  query SegmentMembers($id: ID!, $after: String) {
    segment(id: $id) {
      id
      memberCount
      members(first: 20, after: $after) {
        totalCount
        pageInfo {
          ...PageCursor
        }
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
`));

export const SegmentPreviewQuery = parsed(graphql(`
  query SegmentPreview($rules: SegmentRulesInput!) {
    segmentPreview(rules: $rules) {
      count
      countIsExact
      samples {
        id
        name
      }
    }
  }
`));

export const SaveSegmentMutation = parsed(graphql(`
  mutation SaveSegment($input: SaveSegmentInput!, $id: ID) {
    saveSegment(input: $input, id: $id) {
      id
      name
      kind
      memberCount
    }
  }
`));

export const DeleteSegmentMutation = parsed(graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id)
  }
`));

export const AddSegmentToCampaignMutation = parsed(graphql(`
  mutation AddSegmentToCampaign($id: ID!, $segmentId: ID!) {
    addCampaignMembers(id: $id, segmentId: $segmentId) {
      id
      memberCounts {
        status
        count
      }
    }
  }
`));

/** The four attribution models side by side: the counters are the same, revenue and ROI differ. */
export const CampaignPerformanceQuery = parsed(graphql(`
  query CampaignPerformance($id: ID!) {
    firstTouch: campaignPerformance(id: $id, model: FIRST_TOUCH) {
      ...PerformanceFigures
    }
    lastTouch: campaignPerformance(id: $id, model: LAST_TOUCH) {
      ...PerformanceFigures
    }
    linear: campaignPerformance(id: $id, model: LINEAR) {
      ...PerformanceFigures
    }
    uShaped: campaignPerformance(id: $id, model: U_SHAPED) {
      ...PerformanceFigures
    }
  }

  fragment PerformanceFigures on CampaignPerformance {
    model
    currency
    sent
    delivered
    opened
    clicked
    unsubscribed
    bounced
    responses
    leads
    opportunities
    wonOpportunities
    wonRevenue
    cost
    costPerLead
    roi
  }
`));

export const JourneysQuery = parsed(graphql(`
  query Journeys {
    journeys {
      id
      name
      status
      liveVersion
      campaignId
      updatedAt
    }
  }
`));

export const JourneyQuery = parsed(graphql(`
  query Journey($id: ID!) {
    journey(id: $id) {
      ...JourneyFields
    }
    journeyProgress(id: $id) {
      enrolled
      active
      waiting
      finished
      exited
      goalReached
      steps {
        version
        step
        active
        waiting
      }
    }
  }

  fragment JourneyFields on Journey {
    id
    name
    campaignId
    status
    liveVersion
    updatedAt
    trigger {
      type
      eventType
      segmentId
      offsetDays
      campaignId
    }
    steps {
      key
      type
      next
      templateId
      waitSeconds
      waitEvent
      timeoutNext
      condition {
        kind
        step
        field
        op
        value
      }
      yes
      no
      tag
      title
      dueDays
    }
  }
`));

export const JourneyChoicesQuery = parsed(graphql(`
  query JourneyChoices {
    campaigns(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    segments(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    emailTemplates {
      id
      name
    }
    smsTemplates {
      id
      name
    }
  }
`));

export const SaveJourneyMutation = parsed(graphql(`
  mutation SaveJourney($input: JourneyInput!, $id: ID) {
    saveJourney(input: $input, id: $id) {
      ...JourneyFields
    }
  }
`));

export const PublishJourneyMutation = parsed(graphql(`
  mutation PublishJourney($id: ID!) {
    publishJourney(id: $id) {
      ...JourneyFields
    }
  }
`));
