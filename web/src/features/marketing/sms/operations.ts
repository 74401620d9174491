import { graphql } from '../../../gql';
import { parsed } from '../../../api/document';

export const SmsTemplatesQuery = parsed(graphql(`
  query SmsTemplates {
    smsTemplates {
      ...SmsTemplateFields
    }
  }

  fragment SmsTemplateFields on SmsTemplate {
    id
    name
    kind
    providerCode
    signature
    content
    params {
      name
      value
    }
    sample
    updatedAt
  }
`));

export const SaveSmsTemplateMutation = parsed(graphql(`
  mutation SaveSmsTemplate($input: SmsTemplateInput!, $id: ID) {
    saveSmsTemplate(input: $input, id: $id) {
      ...SmsTemplateFields
    }
  }
`));

export const SendSmsTestMutation = parsed(graphql(`
  mutation SendSmsTest($id: ID!, $phone: String!) {
    sendSmsTest(id: $id, phone: $phone) {
      accepted
      code
      text
    }
  }
`));

/** An SMS campaign's template and how far its texts went. */
export const CampaignSmsQuery = parsed(graphql(`
  query CampaignSms($id: ID!) {
    campaign(id: $id) {
      id
      status
      smsTemplateId
      sentAt
      sendProgress {
        queued
        sent
        failed
        skipped
        delivered
      }
    }
    smsTemplates {
      ...SmsTemplateFields
    }
  }
`));

export const SetCampaignSmsTemplateMutation = parsed(graphql(`
  mutation SetCampaignSmsTemplate($id: ID!, $templateId: ID!) {
    setCampaignSmsTemplate(id: $id, templateId: $templateId) {
      id
      smsTemplateId
    }
  }
`));
