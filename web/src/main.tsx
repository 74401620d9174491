import { ApolloProvider } from '@apollo/client/react';
import { StrictMode, Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { client, refreshSession } from './api/client';
import { currentRefreshToken } from './api/session';
import { useSession } from './features/auth/useSession';
import { I18nProvider } from './i18n';

// each screen is its own chunk: the sign-in page loads without the rest
const SignInPage = lazy(() => import('./features/auth/SignInPage'));
const ForgotPasswordPage = lazy(() => import('./features/auth/ForgotPasswordPage'));
const ResetPasswordPage = lazy(() => import('./features/auth/ResetPasswordPage'));
const AppLayout = lazy(() => import('./layout/AppLayout').then((m) => ({ default: m.AppLayout })));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage'));
const AccountsPage = lazy(() => import('./features/accounts/AccountsPage'));
const AccountPage = lazy(() => import('./features/accounts/AccountPage'));
const AccountFormPage = lazy(() => import('./features/accounts/AccountFormPage'));
const MergePage = lazy(() => import('./features/accounts/MergePage'));
const ImportPage = lazy(() => import('./features/imports/ImportPage'));
const TasksPage = lazy(() => import('./features/tasks/TasksPage'));
const OpportunitiesPage = lazy(() => import('./features/opportunities/OpportunitiesPage'));
const OpportunityPage = lazy(() => import('./features/opportunities/OpportunityPage'));
const PipelineBoardPage = lazy(() => import('./features/opportunities/PipelineBoardPage'));
const LeadsPage = lazy(() => import('./features/leads/LeadsPage'));
const LeadPage = lazy(() => import('./features/leads/LeadPage'));
const UsersPage = lazy(() => import('./features/users/UsersPage'));
const ServiceAccountsPage = lazy(() => import('./features/users/ServiceAccountsPage'));
const OrgUnitsPage = lazy(() => import('./features/org/OrgUnitsPage'));
const RolesPage = lazy(() => import('./features/roles/RolesPage'));
const RoleEditorPage = lazy(() => import('./features/roles/RoleEditorPage'));
const CustomFieldsPage = lazy(() => import('./features/settings/CustomFieldsPage'));
const LeadRulesPage = lazy(() => import('./features/settings/LeadRulesPage'));
const PipelinesPage = lazy(() => import('./features/settings/PipelinesPage'));
const SecurityPage = lazy(() => import('./features/settings/SecurityPage'));
const AuditLogPage = lazy(() => import('./features/audit/AuditLogPage'));
const DeadLettersPage = lazy(() => import('./features/audit/DeadLettersPage'));
const QuotesPage = lazy(() => import('./features/quotes/QuotesPage'));
const QuotePage = lazy(() => import('./features/quotes/QuotePage'));
const QuoteBuilderPage = lazy(() => import('./features/quotes/QuoteBuilderPage'));
const ContractsPage = lazy(() => import('./features/billing/ContractsPage'));
const ContractPage = lazy(() => import('./features/billing/ContractPage'));
const OrdersPage = lazy(() => import('./features/billing/OrdersPage'));
const OrderPage = lazy(() => import('./features/billing/OrderPage'));
const InvoicesPage = lazy(() => import('./features/billing/InvoicesPage'));
const InvoicePage = lazy(() => import('./features/billing/InvoicePage'));
const PaymentsPage = lazy(() => import('./features/billing/PaymentsPage'));
const AnalyticsPage = lazy(() => import('./features/analytics/AnalyticsPage'));
const SpamPage = lazy(() => import('./features/leads/SpamPage'));
const ServiceDashboardPage = lazy(() => import('./features/service/ServiceDashboardPage'));
const KnowledgeBasePage = lazy(() => import('./features/service/KnowledgeBasePage'));
const ArticlePage = lazy(() => import('./features/service/ArticlePage'));
const ArticleEditorPage = lazy(() => import('./features/service/ArticleEditorPage'));
const SurveysPage = lazy(() => import('./features/service/SurveysPage'));
const ServiceTeamsPage = lazy(() => import('./features/service/admin/ServiceTeamsPage'));
const RoutingRulesPage = lazy(() => import('./features/service/admin/RoutingRulesPage'));
const SlaPoliciesPage = lazy(() => import('./features/service/admin/SlaPoliciesPage'));
const BusinessCalendarsPage = lazy(() => import('./features/service/admin/BusinessCalendarsPage'));
const AgentShiftsPage = lazy(() => import('./features/service/admin/AgentShiftsPage'));
const NotFoundPage = lazy(() => import('./components/NotFoundPage'));

/** Kept free of component libraries: it is part of every first load. */
function Loading() {
  return <div role="status" aria-busy="true" style={{ minHeight: '100vh' }} />;
}

/** Signed-in screens; anyone else goes to sign-in and comes back afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const { pathname, search } = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: pathname + search }} />;
  return children;
}

function Root() {
  // a reload keeps the refresh token only: trade it for an access token before the first screen
  const [ready, setReady] = useState(!currentRefreshToken());
  useEffect(() => {
    if (!ready) void refreshSession().finally(() => setReady(true));
  }, [ready]);
  if (!ready) return <Loading />;
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route
          element={
            <RequireSession>
              <AppLayout />
            </RequireSession>
          }
        >
          <Route index element={<DashboardPage />} />
          <Route path="accounts" element={<AccountsPage />} />
          <Route path="accounts/new" element={<AccountFormPage />} />
          <Route path="accounts/merge" element={<MergePage />} />
          <Route path="accounts/:id" element={<AccountPage />} />
          <Route path="accounts/:id/edit" element={<AccountFormPage />} />
          <Route path="imports" element={<ImportPage />} />
          <Route path="tasks" element={<TasksPage />} />
          <Route path="leads" element={<LeadsPage />} />
          <Route path="leads/spam" element={<SpamPage />} />
          <Route path="leads/:id" element={<LeadPage />} />
          <Route path="pipeline" element={<PipelineBoardPage />} />
          <Route path="opportunities" element={<OpportunitiesPage />} />
          <Route path="opportunities/:id" element={<OpportunityPage />} />
          <Route path="admin/users" element={<UsersPage />} />
          <Route path="admin/service-accounts" element={<ServiceAccountsPage />} />
          <Route path="admin/org" element={<OrgUnitsPage />} />
          <Route path="admin/roles" element={<RolesPage />} />
          <Route path="admin/roles/new" element={<RoleEditorPage />} />
          <Route path="admin/roles/:key" element={<RoleEditorPage />} />
          <Route path="admin/custom-fields" element={<CustomFieldsPage />} />
          <Route path="admin/lead-rules" element={<LeadRulesPage />} />
          <Route path="admin/pipelines" element={<PipelinesPage />} />
          <Route path="admin/security" element={<SecurityPage />} />
          <Route path="admin/audit" element={<AuditLogPage />} />
          <Route path="admin/dead-letters" element={<DeadLettersPage />} />
          <Route path="quotes" element={<QuotesPage />} />
          <Route path="quotes/new" element={<QuoteBuilderPage />} />
          <Route path="quotes/:id" element={<QuotePage />} />
          <Route path="contracts" element={<ContractsPage />} />
          <Route path="contracts/:id" element={<ContractPage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="orders/:id" element={<OrderPage />} />
          <Route path="invoices" element={<InvoicesPage />} />
          <Route path="invoices/:id" element={<InvoicePage />} />
          <Route path="payments" element={<PaymentsPage />} />
          <Route path="analytics" element={<AnalyticsPage />} />
          <Route path="service" element={<ServiceDashboardPage />} />
          <Route path="kb" element={<KnowledgeBasePage />} />
          <Route path="kb/new" element={<ArticleEditorPage />} />
          <Route path="kb/:id" element={<ArticlePage />} />
          <Route path="kb/:id/edit" element={<ArticleEditorPage />} />
          <Route path="surveys" element={<SurveysPage />} />
          <Route path="admin/service-teams" element={<ServiceTeamsPage />} />
          <Route path="admin/routing-rules" element={<RoutingRulesPage />} />
          <Route path="admin/sla-policies" element={<SlaPoliciesPage />} />
          <Route path="admin/business-calendars" element={<BusinessCalendarsPage />} />
          <Route path="admin/agent-shifts" element={<AgentShiftsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <I18nProvider onChange={() => void client.refetchQueries({ include: 'active' })}>
        <BrowserRouter>
          <Root />
        </BrowserRouter>
      </I18nProvider>
    </ApolloProvider>
  </StrictMode>,
);
