-- Tell every process when an API client or an organisation changes or goes, so the in-process cache
-- of live API clients (server/modules/apiclients/client-cache.ts) drops it: NOTIFY is delivered on
-- commit, to every connection that LISTENs on api_client_changes, whoever made the change.
CREATE FUNCTION api_client_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_client_changes', TG_ARGV[0] || ':' || OLD.id::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_clients_changes AFTER UPDATE OR DELETE ON api_clients
  FOR EACH ROW EXECUTE FUNCTION api_client_changes_notify('client');
--> statement-breakpoint
CREATE TRIGGER organisations_changes AFTER UPDATE OR DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION api_client_changes_notify('org');
