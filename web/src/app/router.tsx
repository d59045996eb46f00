/** The portal's routes. Every page is a lazily loaded chunk; tab routes are guarded by permission. */
import type { TabId } from '@contracts/permissions.js';
import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { PageError } from '../components/PageError.js';
import { HomeRedirect } from './HomeRedirect.js';
import { lazyPage } from './lazy.js';
import { TabGuard } from './TabGuard.js';

function tabRoute<M>(tabId: TabId, load: () => Promise<M>, pick: (module: M) => ComponentType): RouteObject {
  return {
    path: `${tabId}/*`,
    element: <TabGuard tabId={tabId}>{lazyPage(load, pick)}</TabGuard>,
    // a page that throws while rendering shows its error inside the shell, the navigation still there
    errorElement: <PageError />,
  };
}

const routes: RouteObject[] = [
  {
    path: '/login',
    element: lazyPage(
      () => import('../features/auth/pages/LoginPage.js'),
      (m) => m.LoginPage,
      true,
    ),
  },
  {
    path: '/forgot-password',
    element: lazyPage(
      () => import('../features/auth/pages/ForgotPasswordPage.js'),
      (m) => m.ForgotPasswordPage,
      true,
    ),
  },
  {
    path: '/reset-password',
    element: lazyPage(
      () => import('../features/auth/pages/ResetPasswordPage.js'),
      (m) => m.ResetPasswordPage,
      true,
    ),
  },
  {
    path: '/set-password',
    element: lazyPage(
      () => import('../features/auth/pages/ResetPasswordPage.js'),
      (m) => m.SetPasswordPage,
      true,
    ),
  },
  {
    path: '/setup',
    element: lazyPage(
      () => import('../features/auth/pages/SetupPage.js'),
      (m) => m.SetupPage,
      true,
    ),
  },
  {
    path: '/',
    element: lazyPage(
      () => import('./layout/Shell.js'),
      (m) => m.Shell,
      true,
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      tabRoute(
        'dashboard',
        () => import('../features/dashboard/pages/DashboardPage.js'),
        (m) => m.DashboardPage,
      ),
      tabRoute(
        'sims',
        () => import('../features/sims/pages/SimsPage.js'),
        (m) => m.SimsPage,
      ),
      tabRoute(
        'configuration',
        () => import('../features/configuration/pages/ConfigurationPage.js'),
        (m) => m.ConfigurationPage,
      ),
      tabRoute(
        'account',
        () => import('../features/account/pages/AccountPage.js'),
        (m) => m.AccountPage,
      ),
      tabRoute(
        'orders',
        () => import('../features/orders/pages/OrdersPage.js'),
        (m) => m.OrdersPage,
      ),
      tabRoute(
        'users',
        () => import('../features/users/pages/UsersPage.js'),
        (m) => m.UsersPage,
      ),
      tabRoute(
        'organisation',
        () => import('../features/organisation/pages/OrganisationPage.js'),
        (m) => m.OrganisationPage,
      ),
      tabRoute(
        'support',
        () => import('../features/support/pages/SupportPage.js'),
        (m) => m.SupportPage,
      ),
      tabRoute(
        'operator',
        () => import('../features/operator/pages/OperatorPage.js'),
        (m) => m.OperatorPage,
      ),
      {
        path: '*',
        element: lazyPage(
          () => import('../components/NotFound.js'),
          (m) => m.NotFound,
        ),
      },
    ],
  },
];

/** The browser router of the app. */
export const router = createBrowserRouter(routes);

const publicPaths = ['/login', '/forgot-password', '/reset-password', '/set-password', '/setup'];

/** Sends the user to /login (keeping where they were) unless they are already on a public page. */
export function redirectToLogin(): void {
  const { pathname, search } = router.state.location;
  if (publicPaths.includes(pathname)) return;
  const next = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
  void router.navigate(`/login${next}`, { replace: true });
}
