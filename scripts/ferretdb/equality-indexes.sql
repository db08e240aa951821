-- Indexes that FerretDB's equality filters can use, for the development database.
--
-- FerretDB 1.x on PostgreSQL stores a document as one jsonb column and turns an equality
-- (`{ status: 'queued' }`, `{ _id: … }`) into jsonb containment,
-- `(_jsonb -> 'status') @> '"queued"'`. The B-tree indexes it creates for the model's
-- indexes cannot serve containment, so PostgreSQL scans the whole table for every find,
-- even one by `_id`. A GIN index on the same expression can. This event trigger gives
-- every B-tree index FerretDB creates a GIN twin on its first field, once per field; the
-- block at the end does the same for indexes that already exist. FerretDB's own
-- indexes, uniqueness and metadata are left as they are. Safe to run again.

SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION switchboard_equality_index(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  idx record;
BEGIN
  SELECT n.nspname AS schema, t.relname AS tbl, am.amname AS method,
         pg_get_indexdef(i.indexrelid, 1, true) AS first_key
    INTO idx
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR idx.method <> 'btree' OR idx.first_key NOT LIKE '(_jsonb -> %' THEN
    RETURN;
  END IF;
  EXECUTE format(
    'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops)',
    'eq_' || md5(idx.tbl || ' ' || idx.first_key), idx.schema, idx.tbl, idx.first_key);
EXCEPTION WHEN OTHERS THEN
  -- Never fail FerretDB's own command: without the twin a find is only slower.
  RAISE WARNING 'no equality index for index %: %', index_oid, SQLERRM;
END $$;

CREATE OR REPLACE FUNCTION switchboard_equality_indexes() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM switchboard_equality_index(cmd.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS switchboard_equality_indexes;
CREATE EVENT TRIGGER switchboard_equality_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION switchboard_equality_indexes();

DO $$
DECLARE
  i record;
BEGIN
  FOR i IN SELECT x.indexrelid
             FROM pg_index x
             JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') LOOP
    PERFORM switchboard_equality_index(i.indexrelid);
  END LOOP;
END $$;

-- FerretDB sends every equality find of a collection as the same prepared statement,
-- `_jsonb->$1 @> $2`, with the field as a parameter. A generic plan cannot match the
-- field to an index, and PostgreSQL switches to one after a few executions when some of
-- them (a find that returns many documents) were expensive. Plan each execution with its
-- values, so the index above is used every time. Applies to new connections.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END $$;
