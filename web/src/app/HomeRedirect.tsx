/** The index route: sends the user to their start page. */
import { Navigate } from 'react-router';
import { useMe } from '../lib/session.js';
import { homePath } from './visibleTabs.js';

/** Redirects `/` to the first tab the user may see. */
export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={homePath(me.permissions)} replace />;
}
