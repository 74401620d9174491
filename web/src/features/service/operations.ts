import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const ArticleCategoriesQuery = parsed(graphql(`
  query ArticleCategories {
    articleCategories {
      id
      nameZh
      nameEn
      position
    }
  }
`));

export const ArticlesQuery = parsed(graphql(`
  query Articles($filter: ArticleFilter, $after: String) {
    articles(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          version
          title
          categoryId
          tags
          helpfulCount
          notHelpfulCount
          updatedAt
          draft {
            titleZh
            titleEn
          }
        }
      }
    }
  }
`));

export const ArticleDetailFragment = graphql(`
  fragment ArticleDetail on Article {
    id
    status
    version
    title
    body
    categoryId
    tags
    helpfulCount
    notHelpfulCount
    publishedAt
    updatedAt
    author {
      id
      displayName
    }
    draft {
      titleZh
      bodyZh
      titleEn
      bodyEn
    }
    versions {
      version
      titleZh
      bodyZh
      titleEn
      bodyEn
      publishedAt
      publishedBy {
        id
        displayName
      }
    }
  }
`);

export const ArticleQuery = parsed(graphql(`
  query Article($id: ID!) {
    article(id: $id) {
      ...ArticleDetail
    }
  }
`));

export const SaveArticleMutation = parsed(graphql(`
  mutation SaveArticle($id: ID, $input: ArticleInput!) {
    saveArticle(id: $id, input: $input) {
      ...ArticleDetail
    }
  }
`));

export const PublishArticleMutation = parsed(graphql(`
  mutation PublishArticle($id: ID!) {
    publishArticle(id: $id) {
      ...ArticleDetail
    }
  }
`));

export const VoteArticleMutation = parsed(graphql(`
  mutation VoteArticle($id: ID!, $helpful: Boolean!) {
    voteArticle(id: $id, helpful: $helpful) {
      id
      helpfulCount
      notHelpfulCount
    }
  }
`));

export const SurveyResultsQuery = parsed(graphql(`
  query SurveyResults($filter: SurveyFilter, $after: String) {
    surveyResults(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          ticketId
          account {
            id
            name
          }
          sentAt
          answeredAt
          score
          effort
          comment
          followUp
          link
        }
      }
    }
    surveySummary(filter: $filter) {
      csat {
        answers
        average
        satisfiedPercent
      }
      nps {
        answers
        promoters
        passives
        detractors
        score
      }
    }
  }
`));

export const SurveyAccountsQuery = parsed(graphql(`
  query SurveyAccounts($search: String) {
    accounts(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`));

export const SendNpsSurveysMutation = parsed(graphql(`
  mutation SendNpsSurveys($accountId: ID!) {
    sendNpsSurveys(accountId: $accountId)
  }
`));

export const ServiceAnalyticsQuery = parsed(graphql(`
  query ServiceAnalytics($filter: ServiceAnalyticsFilter!) {
    serviceAnalytics(filter: $filter) {
      backlog
      created
      resolved
      firstResponseMinutes
      resolutionMinutes
      firstResponseAttainment
      resolutionAttainment
      reopenRate
      csatAnswers
      csat
      csatAverage
      npsAnswers
      nps
      trend {
        start
        created
        resolved
        csat
        nps
      }
    }
  }
`));

export const ServiceTeamDetailFragment = graphql(`
  fragment ServiceTeamDetail on ServiceTeam {
    id
    name
    unitId
    method
    openTickets
    unassignedTickets
    members {
      capacity
      user {
        id
        displayName
      }
    }
  }
`);

export const ServiceTeamsQuery = parsed(graphql(`
  query ServiceTeams {
    serviceTeams {
      ...ServiceTeamDetail
    }
  }
`));

export const SaveServiceTeamMutation = parsed(graphql(`
  mutation SaveServiceTeam($id: ID, $input: ServiceTeamInput!) {
    saveServiceTeam(id: $id, input: $input) {
      ...ServiceTeamDetail
    }
  }
`));

export const RoutingRulesQuery = parsed(graphql(`
  query RoutingRules {
    routingRules {
      id
      name
      rank
      types
      provinces
      levels
      products
      teamId
      active
    }
    serviceTeams {
      id
      name
    }
  }
`));

export const SaveRoutingRuleMutation = parsed(graphql(`
  mutation SaveRoutingRule($id: ID, $input: RoutingRuleInput!) {
    saveRoutingRule(id: $id, input: $input) {
      id
    }
  }
`));

export const SlaPoliciesQuery = parsed(graphql(`
  query SlaPolicies {
    slaPolicies {
      id
      name
      rank
      priorities
      types
      levels
      calendarId
      firstResponseMinutes
      nextResponseMinutes
      resolutionMinutes
      warnPercent
      raisePriority
      escalate
      reassign
      active
    }
    businessCalendars {
      id
      name
    }
  }
`));

export const SaveSlaPolicyMutation = parsed(graphql(`
  mutation SaveSlaPolicy($id: ID, $input: SlaPolicyInput!) {
    saveSlaPolicy(id: $id, input: $input) {
      id
    }
  }
`));

export const BusinessCalendarsQuery = parsed(graphql(`
  query BusinessCalendars {
    businessCalendars {
      id
      name
      timeZone
      statutory
      statutoryUntil
      weekly {
        weekday
        start
        end
      }
      holidays
      workdays
      closures {
        start
        end
        reason
      }
    }
  }
`));

export const SaveBusinessCalendarMutation = parsed(graphql(`
  mutation SaveBusinessCalendar($id: ID, $input: BusinessCalendarInput!) {
    saveBusinessCalendar(id: $id, input: $input) {
      id
    }
  }
`));

export const AgentShiftsQuery = parsed(graphql(`
  query AgentShifts {
    agentShifts {
      userId
      user {
        id
        displayName
      }
      timeZone
      onShift
      weekly {
        weekday
        start
        end
      }
      exceptions {
        day
        hours {
          start
          end
        }
      }
    }
  }
`));

export const SaveAgentShiftMutation = parsed(graphql(`
  mutation SaveAgentShift($input: AgentShiftInput!) {
    saveAgentShift(input: $input) {
      userId
    }
  }
`));
