-- Give every schema, table, view, sequence and function of this database to the database's
-- owner (the owner role, safeguard_owner), whoever made them: a database migrated earlier by a
-- superuser keeps working once the owner role runs its migrations and the runtime role only
-- has what tenants/privileges.py grants it. Run as a superuser, connected to the database; safe
-- to run again (it changes only what another role owns). Used by the database container's
-- first start (docker-entrypoint-initdb.d) and by `make run` / `make test` (safeguard/localdev.py).
DO $$
DECLARE
    owner_oid oid := (SELECT datdba FROM pg_database WHERE datname = current_database());
    owner_name text := quote_ident(pg_get_userbyid(owner_oid));
    item record;
BEGIN
    FOR item IN
        SELECT n.nspname FROM pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
          AND n.nspowner NOT IN (owner_oid, 'pg_database_owner'::regrole)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                          AND d.objid = n.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO %s', item.nspname, owner_name);
    END LOOP;

    -- Tables (their indexes and the sequences of their identity columns follow), views,
    -- materialized views and standalone sequences; not what an extension owns.
    FOR item IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                              ELSE 'TABLE' END AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND c.relowner <> owner_oid
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %s', item.kind, item.name, owner_name);
    END LOOP;

    FOR item IN
        SELECT p.oid::regprocedure AS name,
               CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE'
                              ELSE 'FUNCTION' END AS kind
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
          AND p.proowner <> owner_oid
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %s', item.kind, item.name, owner_name);
    END LOOP;

    -- Types of their own (enums, domains, composite and range types); a table's row type
    -- follows the table.
    FOR item IN
        SELECT t.oid::regtype AS name, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
          AND t.typowner <> owner_oid
          AND t.typtype IN ('e', 'd', 'r', 'c', 'm')
          AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
          AND t.typelem = 0
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype IN ('e', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO %s', item.kind, item.name, owner_name);
    END LOOP;
END;
$$;
