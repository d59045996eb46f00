/** Entry point of the portal: styles, providers, router and the global 401 handling. */
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { setUnauthorizedHandler } from '../lib/api.js';
import { Providers, queryClient } from './providers.js';
import { redirectToLogin, router } from './router.js';

setUnauthorizedHandler(() => {
  queryClient.clear();
  redirectToLogin();
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
