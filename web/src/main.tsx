import { restoring } from './boot'; // first: the session refresh leaves before the rest is evaluated
import { ApolloProvider } from '@apollo/client/react';
import { StrictMode, Suspense, lazy, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { client } from './api/client';
import { useSession } from './features/auth/useSession';
import { I18nProvider } from './i18n';
import { allowed } from './access';
import { AppLayout, isScreen, preload, screens } from './routes';

// each screen is its own chunk: the sign-in page loads without the rest
const SignInPage = lazy(() => import('./features/auth/SignInPage'));
const ForgotPasswordPage = lazy(() => import('./features/auth/ForgotPasswordPage'));
const ResetPasswordPage = lazy(() => import('./features/auth/ResetPasswordPage'));
const ForbiddenPage = lazy(() => import('./components/ForbiddenPage'));

// while the session is restored, the screen's code and first data load (queries wait for the token)
if (restoring) preload(window.location.pathname);

/** Kept free of component libraries: it is part of every first load. */
function Loading() {
  return <div role="status" aria-busy="true" style={{ minHeight: '100vh' }} />;
}

/** Signed-in screens; anyone else goes to sign-in and comes back afterwards, to home from an address that
 * is no screen (`/login`: "not found" would be all they saw once signed in). */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const { pathname, search } = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: isScreen(pathname) ? pathname + search : '/' }} />;
  return children;
}

/** The screen at `path`, or that it is not the caller's to see; decided again whenever the session changes. */
function Allowed({ path, Page }: { path: string; Page: ComponentType }) {
  useSession();
  return allowed(path) ? <Page /> : <ForbiddenPage />;
}

function Root() {
  const [ready, setReady] = useState(!restoring);
  useEffect(() => {
    if (!ready) void restoring!.finally(() => setReady(true));
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
          {screens.map(({ path, Page }) => {
            const page = <Allowed path={path} Page={Page} />;
            return path ? <Route key={path} path={path} element={page} /> : <Route key="" index element={page} />;
          })}
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
