-- Public pages are cached by each server instance. Any change to what they show announces
-- itself on the channel `catalog_changed` (once per transaction, at commit), so that every
-- instance drops its copies, whichever instance or command made the change.
CREATE FUNCTION announce_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('catalog_changed', '');
  RETURN NULL;
END
$$;

DO $$
DECLARE
  catalog_table text;
BEGIN
  FOREACH catalog_table IN ARRAY ARRAY[
    'agencies', 'fields', 'procedures', 'procedure_versions', 'procedure_cases', 'procedure_channels',
    'channel_fees', 'form_templates', 'procedure_documents', 'agency_procedures', 'search_words',
    'search_synonyms', 'calendar_days', 'application_forms'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION announce_catalog_change()',
      catalog_table || '_announce_change', catalog_table);
  END LOOP;
END
$$;
