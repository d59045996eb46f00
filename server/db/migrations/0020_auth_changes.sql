-- Tell every process when a sign-in session, a user or an organisation changes or goes, so the
-- in-process cache of signed-in sessions (server/modules/auth/session-cache.ts) drops what it holds
-- of them: NOTIFY is delivered on commit to every connection that LISTENs on auth_changes, whoever
-- made the change. A session's last_seen_at (touched once a minute per session) is not announced.
CREATE FUNCTION auth_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('auth_changes', TG_ARGV[0] || ':' || OLD.id::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_auth_changes
  AFTER UPDATE OF user_id, token_hash, csrf_token, expires_at, revoked_at OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION auth_changes_notify('session');
--> statement-breakpoint
CREATE TRIGGER users_auth_changes AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION auth_changes_notify('user');
--> statement-breakpoint
CREATE TRIGGER organisations_auth_changes AFTER UPDATE OR DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION auth_changes_notify('org');
