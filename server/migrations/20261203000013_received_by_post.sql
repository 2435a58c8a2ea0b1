-- A dossier the desk received by post: the officer enters it like a counter filing, and it is
-- filed through the post channel (its time limit and fees).
ALTER TABLE drafts
    ADD COLUMN by_post boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT drafts_by_post_entered_by_officer CHECK (NOT by_post OR assisted_by IS NOT NULL);
